#pragma once
// Brings a QPOD environment to where a command can run in it: the pod, the services the command
// needs (start: auto ones, and a binary's `services`, with their dependencies, by engine::up),
// and, for `podman exec`, the kept-running environment container. One observe when all is
// already there; the project lock and engine::up only when something is missing or changed.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compose/model.h"
#include "env/route.h"
#include "graph/service_graph.h"
#include "podman/runtime.h"

namespace qpod::env {

// `start: auto` services, and the services the decision's binary names (start: binary).
std::vector<std::string> services_for(const compose::Project& p, const Decision& d);

// 0 when ready; else 1 with the reason on `err`, where the image build and engine::up also
// report. `env_create`: the environment container's create argv (env_container_create,
// without the leading "podman"), or nullopt for `podman run` mode. `on_wait`: engine::ProjectLock's
// note while another command holds the project lock.
int prepare_environment(const compose::Project& p, const graph::ServiceGraph& g,
                        podman::Runtime& rt, const std::vector<std::string>& services,
                        const std::optional<std::vector<std::string>>& env_create,
                        std::ostream& err, void (*on_wait)(const std::string&) = nullptr);

// The environment image was rebuilt: the next command checks the environment fully, and a
// check already under way writes no ready stamp.
void environment_rebuilt(const compose::Project& p);

// A marker ("QPOD_EXEC_ID=<pid>-<time>") for `podman exec --env`, to find the process there.
std::string exec_marker();

}  // namespace qpod::env
