#pragma once
// Remote podman (podman/remote.h) reads a bind mount's source on its own machine. qpod's bind
// mounts, and the secrets and configs it copies into its folder and bind-mounts, are this
// machine's files: `up` warns once, naming the services that use them.
#include <optional>
#include <set>
#include <string>

#include "compose/model.h"

namespace qpod::engine {

// The warning for `services` of `p`, or none when none of them mounts a file of this machine:
// "podman is remote: ... bind mounts (web) and secret or config files (api) ...".
std::optional<std::string> remote_files_warning(const compose::Project& p,
                                                const std::set<std::string>& services);

}  // namespace qpod::engine
