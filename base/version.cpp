#include "base/version.h"
namespace qpod {
const char* version() { return "0.1.0"; }
}  // namespace qpod
