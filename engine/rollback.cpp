#include "engine/rollback.h"

#include <set>

namespace qpod::engine {

Plan plan_rollback(const Observed& before, const Observed& after) {
  Plan plan;
  auto add = [&plan](ActionKind kind, std::string service, std::vector<int> after_ = {},
                     std::string container = {}) {
    plan.actions.push_back(
        {kind, std::move(service), "rollback", std::move(after_), std::move(container)});
    return static_cast<int>(plan.actions.size()) - 1;
  };
  std::vector<int> removed;
  if (after.pod && (!before.pod || before.pod->id != after.pod->id)) {
    removed.push_back(add(ActionKind::RemovePod, ""));
  } else {
    std::set<std::string> old_ids, had_container;
    for (const auto& c : before.containers) {
      old_ids.insert(c.id);
      had_container.insert(c.service);
    }
    for (const auto& c : after.containers) {
      if (old_ids.count(c.id) || c.oneoff) continue;
      bool replacement = had_container.count(c.service) > 0;
      if (!replacement || c.state == "created")
        removed.push_back(add(ActionKind::Remove, c.service, {}, c.name));
    }
  }
  for (const auto& net : after.project_networks)
    if (!before.project_networks.count(net)) add(ActionKind::RemoveNetwork, net, removed);
  for (const auto& vol : after.project_volumes)
    if (!before.project_volumes.count(vol)) add(ActionKind::RemoveVolume, vol, removed);
  return plan;
}

}  // namespace qpod::engine
