#pragma once
// The watch loop's bookkeeping, pure: the actions of every change since a service last ran,
// merged into one batch, and at most one batch per service running at a time. A change that
// arrives while its service restarts waits, merged with any other, for one more batch: a
// thousand changes during a restart give one restart after it, not a thousand.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "watch/rules.h"

namespace qpod::engine {

struct WatchBatch {
  std::string service;
  bool rebuild = false, restart = false;
  std::vector<compose::ServiceHook> hooks;       // sync+exec commands, each once, in first order
  std::map<std::string, watch::SyncFile> files;  // by host path; the latest change wins
  std::size_t changes = 0;                       // changed paths reported
  bool overflow = false;                         // events were lost: changes is a lower bound
  std::vector<std::string> reasons;

  // In order: rebuild alone (the new container has the new files), else sync, restart, exec.
  std::vector<watch::WatchAction> actions() const;
  void merge(const std::vector<watch::WatchAction>& actions);
};

class WatchQueue {
 public:
  // A service's subscription fired with `changes` paths; `actions` are actions_for_change' answer.
  void add(const std::string& service, const std::vector<watch::WatchAction>& actions,
           std::size_t changes, bool overflow = false);
  // The batch of a service that has one pending and none running, which is now running.
  std::optional<WatchBatch> take();
  void done(const std::string& service);  // its batch finished (or failed)
  bool idle() const { return pending_.empty() && running_.empty(); }
  bool running(const std::string& service) const { return running_.count(service) > 0; }

 private:
  std::map<std::string, WatchBatch> pending_;
  std::set<std::string> running_;
};

// "Restarting service web after 3 changes were detected" (Docker Compose's words).
std::string describe(const watch::WatchAction& action, const WatchBatch& batch);

}  // namespace qpod::engine
