#pragma once
// When an attached `up` ends, decided from successive snapshots of the attached containers
// (pure, so tests feed it snapshots): each exit is reported once per run; with
// --abort-on-container-exit the first exit aborts; otherwise `up` ends when every container is
// done (exited and not about to be restarted by its restart policy).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/observe.h"

namespace qpod::engine {

struct ExitRule {
  bool abort_on_exit = false;     // --abort-on-container-exit
  bool abort_on_failure = false;  // --abort-on-container-failure: only a non-zero exit aborts
  std::string exit_code_from;     // --exit-code-from SERVICE (implies abort_on_exit)
  // Services others wait for with service_completed_successfully: their exit 0 is the plan
  // (a migration), not a reason to abort. (docker compose aborts there; see its issue #10233.)
  std::set<std::string> completion_deps;
  std::map<std::string, std::string> restart;  // service → restart policy
};
ExitRule exit_rule_for(const compose::Project& p);  // completion_deps and restart filled

struct ExitEvent {
  std::string container, service;
  int exit_code = 0;
};

struct WatchStep {
  std::vector<ExitEvent> exited;  // new exits in this snapshot
  bool abort = false;             // stop everything now
  bool done = false;              // every container is done: `up` ends
  std::optional<int> exit_code;   // known now (abort by a container, or exit_code_from's)
};

class AttachWatch {
 public:
  explicit AttachWatch(ExitRule rule) : rule_(std::move(rule)) {}
  WatchStep update(const std::vector<ObservedContainer>& containers);

 private:
  bool aborts(const ExitEvent& e) const;
  bool finished(const ObservedContainer& c) const;

  ExitRule rule_;
  std::map<std::string, std::string> reported_;  // container → the run whose exit was reported
  std::map<std::string, int> stopped_polls_;     // container → snapshots in a row not running
};

}  // namespace qpod::engine
