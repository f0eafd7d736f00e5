#pragma once
// What `up` does on the host before podman creates anything: bind-mount sources that are
// missing are created (create_host_path) or refused, and the files of `environment:` and
// `content:` secrets and configs are written, private, for their read-only bind mounts.
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/plan.h"

namespace qpod::engine {

// For the services `plan` creates; returns the errors (never a secret's value), empty if none.
std::vector<std::string> prepare_host(const compose::Project& p, const Plan& plan);

}  // namespace qpod::engine
