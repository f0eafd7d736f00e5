#pragma once
// Watched services restart without `qpod watch`: around one command run in a QPOD environment
// (exec-env), the watched files before it, and after it the running services whose watched
// files it changed get what `qpod watch` would do to them (restart; rebuild for a built image;
// sync and exec for develop.watch rules), each as one batch (apply_batch).
#include <iosfwd>
#include <vector>

#include "compose/model.h"
#include "engine/apply.h"
#include "engine/progress.h"
#include "podman/runtime.h"
#include "watch/snapshot.h"
#include "watch/subscription.h"

namespace qpod::engine {

class CommandWatch {
 public:
  // The watched files now; nothing to do later when no service watches anything.
  explicit CommandWatch(const compose::Project& p);
  // After the command: nothing (no podman call) when no watched file changed; else one observe,
  // and, under the project lock, a batch for each running service whose watch matches a change,
  // but for the services a running `qpod watch` acts on (watch_marker.h): said, left to it.
  // The steps are printed on `say`. 0, or 1 when a step failed (reported on `progress`).
  int finish(podman::Runtime& rt, Progress& progress, const RunOptions& run,
             std::ostream& say) const;

 private:
  const compose::Project& project_;
  std::vector<watch::Subscription> subs_;
  watch::Snapshot before_;
};

}  // namespace qpod::engine
