#include "engine/container_commands.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>
#include <set>

#include "base/text.h"
#include "engine/executor.h"
#include "engine/planner.h"

namespace qpod::engine {
namespace {

using compose::Project;

// The observed containers of the selected services (all when none is named), sorted by name.
// A project known only by its name (no compose file) owns every labelled container.
std::vector<const ObservedContainer*> selected(const Project& p, const Observed& obs,
                                               const std::vector<std::string>& services,
                                               bool with_orphans = false) {
  bool whole_project = p.services.empty();
  std::vector<const ObservedContainer*> out;
  for (const auto& c : obs.containers) {
    bool named = std::find(services.begin(), services.end(), c.service) != services.end();
    bool known = p.services.count(c.service) > 0;
    bool orphan = !known && !p.disabled_services.count(c.service);
    if (!services.empty() ? named : (whole_project || known || (with_orphans && orphan)))
      out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

Plan one_action_each(const std::vector<const ObservedContainer*>& cs, ActionKind kind,
                     const std::string& signal = {}) {
  Plan plan;
  for (const auto* c : cs) {
    plan.actions.push_back({kind, c->service, {}, {}, c->name});
    plan.actions.back().signal = signal;
  }
  return plan;
}

}  // namespace

Plan plan_kill(const Project& p, const Observed& obs, const KillOptions& o) {
  std::vector<const ObservedContainer*> cs;
  for (const auto* c : selected(p, obs, o.services, o.remove_orphans))
    if (c->running() || c->state == "paused") cs.push_back(c);
  return one_action_each(cs, ActionKind::Kill, o.signal);
}

Plan plan_pause(const Project& p, const Observed& obs, const std::vector<std::string>& services) {
  std::vector<const ObservedContainer*> cs;
  for (const auto* c : selected(p, obs, services))
    if (c->running() && !c->oneoff) cs.push_back(c);
  return one_action_each(cs, ActionKind::Pause);
}

Plan plan_unpause(const Project& p, const Observed& obs, const std::vector<std::string>& services) {
  std::vector<const ObservedContainer*> cs;
  for (const auto* c : selected(p, obs, services))
    if (c->state == "paused" && !c->oneoff) cs.push_back(c);
  return one_action_each(cs, ActionKind::Unpause);
}

Plan plan_rm(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
             const RmOptions& o) {
  Plan plan;
  if (o.stop) plan = plan_stop(p, g, obs, {o.services, o.timeout_s});
  std::map<std::string, int> stop_of;  // container -> its stop action
  for (std::size_t i = 0; i < plan.actions.size(); ++i)
    stop_of[plan.actions[i].container] = static_cast<int>(i);
  ActionKind kind = o.volumes ? ActionKind::Remove : ActionKind::RemoveKeepVolumes;
  for (const auto* c : selected(p, obs, o.services)) {
    if (c->oneoff) continue;
    auto stop = stop_of.find(c->name);
    if (stop != stop_of.end())
      plan.actions.push_back({kind, c->service, "stopped", {stop->second}, c->name});
    else if (!c->running() && c->state != "paused")
      plan.actions.push_back({kind, c->service, c->state, {}, c->name});
  }
  return plan;
}

std::vector<std::string> removed_containers(const Plan& plan) {
  std::vector<std::string> names;
  for (const auto& a : plan.actions)
    if (a.kind == ActionKind::Remove || a.kind == ActionKind::RemoveKeepVolumes)
      names.push_back(a.container);
  std::sort(names.begin(), names.end());
  return names;
}

bool is_yes(std::string answer) {
  answer = trim(answer);
  std::transform(answer.begin(), answer.end(), answer.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return answer == "y" || answer == "yes" || answer == "1" || answer == "t" || answer == "true";
}

int kill(const Project& p, podman::Runtime& rt, Progress& progress, const KillOptions& o,
         const RunOptions& run, std::ostream& out, std::ostream& info) {
  auto obs = observe(rt, p.name);
  if (!obs) return report(progress, obs.errors());
  Plan plan = plan_kill(p, *obs, o);
  if (plan.empty()) {
    info << "no container to kill\n";
    return 0;
  }
  return apply_plan(plan, p, rt, progress, run, out, exec_options(run));
}

int pause(const Project& p, podman::Runtime& rt, Progress& progress,
          const std::vector<std::string>& services, const RunOptions& run, std::ostream& out) {
  auto obs = observe(rt, p.name);
  if (!obs) return report(progress, obs.errors());
  return apply_plan(plan_pause(p, *obs, services), p, rt, progress, run, out, exec_options(run));
}

int unpause(const Project& p, podman::Runtime& rt, Progress& progress,
            const std::vector<std::string>& services, const RunOptions& run, std::ostream& out) {
  auto obs = observe(rt, p.name);
  if (!obs) return report(progress, obs.errors());
  return apply_plan(plan_unpause(p, *obs, services), p, rt, progress, run, out, exec_options(run));
}

int rm(const Project& p, podman::Runtime& rt, Progress& progress, const RmOptions& o,
       const Confirm& confirm, const RunOptions& run, std::ostream& out, std::ostream& info) {
  auto g = graph::ServiceGraph::build(p);
  if (!g) return report(progress, g.errors());
  auto obs = observe(rt, p.name);
  if (!obs) return report(progress, obs.errors());
  Plan plan = plan_rm(p, *g, *obs, o);
  auto names = removed_containers(plan);
  if (names.empty()) {
    info << "No stopped containers\n";
    return 0;
  }
  if (!run.dry_run && !confirm("Going to remove " + join(names, ", "))) return 0;
  return apply_plan(plan, p, rt, progress, run, out, exec_options(run, o.timeout_s));
}

}  // namespace qpod::engine
