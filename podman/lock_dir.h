#pragma once
// Where qpod keeps its files on this machine: the lock files (engine/lock.h) and the private
// copies of secrets and configs that containers mount (podman_argv's host_files_dir).
#include <string>

namespace qpod::podman {

// The folder of the lock files (and of the files written for secrets and configs):
// $XDG_RUNTIME_DIR/qpod, or /tmp/qpod-UID.
std::string lock_dir();

}  // namespace qpod::podman
