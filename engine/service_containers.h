#pragma once
// Which of a service's containers a command acts on (cp, attach, stats), as docker compose
// picks them: by --index, else all of them (one-off ones only when asked), sorted by name.
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "engine/observe.h"

namespace qpod::engine {

// The service's container number `index` (1 = the first): its name, P-S-N (or the service's
// container_name for 1), as `qpod exec --index` names it.
std::string container_at(const compose::Project& p, const std::string& service, int index);

struct Selection {
  std::string service;  // empty = every service
  int index = 0;        // 0 = every container of the service
  bool oneoff = false;  // `run` containers too
  bool running_only = false;
};
// The observed containers that match, sorted by name; an error naming the service when none
// does: `no container found for service "web"` (docker compose's words).
Result<std::vector<const ObservedContainer*>> select_containers(const compose::Project& p,
                                                                const Observed& obs,
                                                                const Selection& s);

}  // namespace qpod::engine
