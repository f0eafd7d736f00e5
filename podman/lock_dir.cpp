#include "podman/lock_dir.h"

#include <unistd.h>

#include <cstdlib>

namespace qpod::podman {

std::string lock_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg && *xdg) return std::string(xdg) + "/qpod";
  return "/tmp/qpod-" + std::to_string(::getuid());
}

}  // namespace qpod::podman
