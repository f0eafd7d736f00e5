#include "engine/attach_watch.h"

namespace qpod::engine {
namespace {

// A container with restart always/unless-stopped that stays down this many polls in a row was
// stopped for good (podman restarts at once otherwise).
constexpr int kStoppedPolls = 3;

bool not_started(const ObservedContainer& c) {
  return c.state == "created" || c.state == "configured" || c.state == "initialized";
}

}  // namespace

ExitRule exit_rule_for(const compose::Project& p) {
  ExitRule r;
  for (const auto& [name, s] : p.services) {
    r.restart[name] = s.restart;
    for (const auto& [dep, d] : s.depends_on)
      if (d.condition == "service_completed_successfully") r.completion_deps.insert(dep);
  }
  return r;
}

bool AttachWatch::aborts(const ExitEvent& e) const {
  if (!rule_.exit_code_from.empty() && e.service == rule_.exit_code_from) return true;
  if (rule_.abort_on_failure && e.exit_code != 0) return true;
  bool on_exit = rule_.abort_on_exit || (!rule_.exit_code_from.empty() && !rule_.abort_on_failure);
  if (!on_exit) return false;
  return !(e.exit_code == 0 && rule_.completion_deps.count(e.service));
}

bool AttachWatch::finished(const ObservedContainer& c) const {
  if (c.running() || c.state == "paused" || c.state == "stopping") return false;
  if (not_started(c)) return true;
  auto it = rule_.restart.find(c.service);
  std::string policy = it == rule_.restart.end() ? "" : it->second;
  if (policy.empty() || policy == "no") return true;
  if (policy.rfind("on-failure", 0) == 0 && c.exit_code == 0) return true;
  auto polls = stopped_polls_.find(c.name);
  return polls != stopped_polls_.end() && polls->second >= kStoppedPolls;
}

WatchStep AttachWatch::update(const std::vector<ObservedContainer>& containers) {
  WatchStep step;
  bool all_finished = true;
  std::optional<int> from_code;
  for (const auto& c : containers) {
    bool down = !c.running() && c.state != "paused" && c.state != "stopping";
    stopped_polls_[c.name] = down ? stopped_polls_[c.name] + 1 : 0;
    if (down && !not_started(c)) {
      std::string run = c.id + "@" + std::to_string(c.started_at);
      if (reported_[c.name] != run) {
        reported_[c.name] = run;
        step.exited.push_back({c.name, c.service, c.exit_code});
      }
      if (c.service == rule_.exit_code_from) from_code = c.exit_code;
    }
    if (!finished(c)) all_finished = false;
  }
  for (const auto& e : step.exited) {
    if (!aborts(e)) continue;
    step.abort = true;
    step.exit_code = rule_.exit_code_from.empty() ? std::optional<int>(e.exit_code) : from_code;
    break;
  }
  if (!step.abort && all_finished) {
    step.done = true;
    step.exit_code = rule_.exit_code_from.empty() ? std::optional<int>(0) : from_code;
  }
  return step;
}

}  // namespace qpod::engine
