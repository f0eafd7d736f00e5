#pragma once
// Brings a QPOD environment to where a command can run in it: the pod, the services the command
// needs (start: auto ones, and a binary's `services`, with their dependencies, by engine::up),
// and, for `podman exec`, the kept-running environment container. One observe when all is
// already there; the project lock and engine::up only when something is missing or changed.
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "podman/runtime.h"
#include "env/route.h"
#include "graph/service_graph.h"

namespace qpod::cli {

// `start: auto` services, and the services the decision's binary names (start: binary).
std::vector<std::string> services_for(const compose::Project& p, const env::Decision& d);

// 0 when ready; else 1 with the reason on stderr. `env_create`: the environment container's
// create argv (env::env_container_create, leading "podman"), or nullopt for `podman run` mode.
int prepare_environment(const compose::Project& p, const graph::ServiceGraph& g,
                        engine::Runtime& rt, const std::vector<std::string>& services,
                        const std::optional<std::vector<std::string>>& env_create);

// The environment image was rebuilt: the next command checks the environment fully, and a
// check already under way writes no ready stamp.
void environment_rebuilt(const compose::Project& p);

// A marker ("QPOD_EXEC_ID=<pid>-<time>") for `podman exec --env`, to find the process there.
std::string exec_marker();

}  // namespace qpod::cli
