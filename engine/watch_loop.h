#pragma once
// `qpod watch` and `qpod up --watch`: up, then act on each debounced change of the services'
// develop.watch rules and x-qpod `watch` entries, until Ctrl-C (which leaves the stack up).
// Per service, one batch at a time (watch_queue.h); services act in parallel.
#include <chrono>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/operations.h"
#include "engine/watch_queue.h"
#include "watch/debounce.h"

namespace qpod::engine {

// Where changes come from: the inotify watcher for real, a script in tests.
class ChangeSource {
 public:
  virtual ~ChangeSource() = default;
  // Waits at most `timeout` (less after wake()) for fired subscriptions.
  virtual std::vector<watch::Fired> poll(std::chrono::milliseconds timeout) = 0;
  virtual void wake() = 0;
  virtual Diagnostics take_warnings() { return {}; }
  // No change will ever come again (a finished script): the loop ends once it is idle.
  virtual bool exhausted() const { return false; }
};

struct WatchLoopOptions {
  std::vector<std::string> services;  // empty = every service with watch rules
  // Services acted on only while their container runs (a manual or binary service that `up`
  // does not start: watched once something started it).
  std::set<std::string> only_if_running;
  std::optional<UpOptions> up;  // brought up before watching; none = --no-up
  bool quiet = false;           // hide the engine's per-container progress
  bool lock = true;   // hold the project lock during up and each batch only, and a WatchMarker
  bool prune = true;  // after a rebuild, remove the project's dangling images
  watch::DebounceOptions debounce;
  std::chrono::milliseconds tick{200};  // how often Ctrl-C (run.cancel) is looked at
};

// Without named services: those `up` starts, and every other service with watches while it runs
// (only_if_running). Checks that a selected service has something to watch, starts the watcher
// (before up, so that a bad root fails before anything is created), runs up, then the loop. Exit
// code: that of up when it fails, 1 when nothing can be watched, else 0 at Ctrl-C.
int watch(const compose::Project& p, podman::Runtime& rt, Progress& progress,
          const WatchLoopOptions& o, const RunOptions& run, std::ostream& out);

// The loop alone, on `source`, until *run.cancel is set (or the source is exhausted and every
// batch is done); batches that are running then finish.
int watch_loop(const compose::Project& p, podman::Runtime& rt, Progress& progress,
               ChangeSource& source, const WatchLoopOptions& o, const RunOptions& run,
               std::ostream& out);

// One batch on one service, each step printed on `say`; false when a step failed (the rest of
// the batch is skipped; errors go to `progress`).
bool apply_batch(const compose::Project& p, podman::Runtime& rt, Progress& progress,
                 const WatchBatch& batch, const RunOptions& run, bool prune,
                 const std::function<void(const std::string&)>& say);

}  // namespace qpod::engine
