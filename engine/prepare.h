#pragma once
// What `up` does on the host before podman creates anything: bind-mount sources that are
// missing are created (create_host_path) or refused, and each secret and config (`file:`,
// `environment:`, `content:`; not external) is copied to a file in the project's private folder
// (0700) with the reference's mode (default 0444), uid and gid, for its read-only bind mount.
// `down` removes the folder.
#include "base/result.h"
#include "compose/model.h"
#include "engine/plan.h"

namespace qpod::engine {

// For the services `plan` creates; fails with every problem found (never a secret's value).
Status prepare_host(const compose::Project& p, const Plan& plan);
// The same for one service (`qpod run` of a one-off container).
Status prepare_service(const compose::Project& p, const compose::Service& s);

}  // namespace qpod::engine
