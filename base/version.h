#pragma once
namespace qpod {
const char* version();
}
