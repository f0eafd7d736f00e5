#pragma once
namespace qpod::engine {
const char* version();
}
