#include "engine/service_containers.h"

#include <algorithm>

#include "podman/podman_argv.h"

namespace qpod::engine {

std::string container_at(const compose::Project& p, const std::string& service, int index) {
  auto it = p.services.find(service);
  if (index == 1 && it != p.services.end()) return podman::container_name(p, it->second);
  return p.name + "-" + service + "-" + std::to_string(index);
}

Result<std::vector<const ObservedContainer*>> select_containers(const compose::Project& p,
                                                                const Observed& obs,
                                                                const Selection& s) {
  const std::string wanted_name = s.index > 0 ? container_at(p, s.service, s.index) : "";
  std::vector<const ObservedContainer*> out;
  for (const auto& c : obs.containers) {
    if (!s.service.empty() && c.service != s.service) continue;
    if (c.oneoff && !s.oneoff) continue;
    if (s.running_only && !c.running()) continue;
    if (!wanted_name.empty() && c.name != wanted_name) continue;
    out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  if (out.empty() && !s.service.empty()) {
    std::string what = s.running_only ? "running container" : "container";
    if (s.index > 0) what += " #" + std::to_string(s.index);
    return Diagnostic{"",   0, 0, "", "no " + what + " found for service \"" + s.service + "\"",
                      false};
  }
  return out;
}

}  // namespace qpod::engine
