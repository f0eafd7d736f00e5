#include "podman/version.h"
namespace qpod::engine {
const char* version() { return "0.1.0"; }
}  // namespace qpod::engine
