#include "engine/watch_queue.h"

#include <algorithm>

namespace qpod::engine {

using watch::ActionKind;

void WatchBatch::merge(const std::vector<watch::WatchAction>& actions) {
  for (const auto& a : actions) {
    if (service.empty()) service = a.service;
    if (!a.reason.empty()) reasons.push_back(a.reason);
    switch (a.kind) {
      case ActionKind::kRebuild:
        rebuild = true;
        break;
      case ActionKind::kRestart:
        restart = true;
        break;
      case ActionKind::kExec:
        for (const auto& h : a.hooks)
          if (std::find(hooks.begin(), hooks.end(), h) == hooks.end()) hooks.push_back(h);
        break;
      case ActionKind::kSync:
        for (const auto& f : a.files) files[f.host] = f;
        break;
    }
  }
}

std::vector<watch::WatchAction> WatchBatch::actions() const {
  std::vector<watch::WatchAction> out;
  if (rebuild) {  // as actions_for_change: the rebuilt container needs neither sync nor restart
    out.push_back({ActionKind::kRebuild, service, {}, {}});
    return out;
  }
  if (!files.empty()) {
    watch::WatchAction sync{ActionKind::kSync, service, {}, {}};
    for (const auto& [host, f] : files) sync.files.push_back(f);
    out.push_back(std::move(sync));
  }
  if (restart) out.push_back({ActionKind::kRestart, service, {}, {}});
  if (!hooks.empty()) out.push_back({ActionKind::kExec, service, {}, {}, hooks});
  return out;
}

void WatchQueue::add(const std::string& service, const std::vector<watch::WatchAction>& actions,
                     std::size_t changes, bool overflow) {
  if (actions.empty()) return;
  WatchBatch& b = pending_[service];
  b.service = service;
  b.merge(actions);
  b.changes += changes;
  b.overflow = b.overflow || overflow;
}

std::optional<WatchBatch> WatchQueue::take() {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (running_.count(it->first)) continue;
    WatchBatch b = std::move(it->second);
    pending_.erase(it);
    running_.insert(b.service);
    return b;
  }
  return std::nullopt;
}

void WatchQueue::done(const std::string& service) { running_.erase(service); }

std::string describe(const watch::WatchAction& action, const WatchBatch& batch) {
  static constexpr const char* kVerbs[] = {"Syncing", "Rebuilding", "Restarting",
                                           "Running exec for"};
  std::string out =
      std::string(kVerbs[static_cast<int>(action.kind)]) + " service " + batch.service;
  if (batch.overflow) return out + " after events were lost";
  out += " after " + std::to_string(batch.changes);
  return out + (batch.changes == 1 ? " change was detected" : " changes were detected");
}

}  // namespace qpod::engine
