#include "engine/command_watch.h"

#include <optional>
#include <ostream>

#include "base/text.h"
#include "engine/lock.h"
#include "engine/observe.h"
#include "engine/watch_loop.h"
#include "engine/watch_marker.h"
#include "engine/watch_queue.h"
#include "watch/rules.h"

namespace qpod::engine {

CommandWatch::CommandWatch(const compose::Project& p)
    : project_(p), subs_(watch::subscriptions(p)) {
  if (!subs_.empty()) before_ = watch::Snapshot::take(p);
}

int CommandWatch::finish(podman::Runtime& rt, Progress& progress, const RunOptions& run,
                         std::ostream& say) const {
  if (subs_.empty()) return 0;
  const auto changed = watch::Snapshot::take(project_).changed_since(before_);
  if (changed.empty()) return 0;
  const std::string repo = watch::repository_root(project_);
  std::vector<WatchBatch> batches;
  for (const auto& sub : subs_) {
    std::vector<std::string> paths;
    for (const auto& path : changed)
      if (sub.matches(path)) paths.push_back(path);
    if (paths.empty()) continue;
    WatchBatch batch;
    batch.service = sub.id;
    batch.changes = paths.size();
    batch.merge(watch::actions_for_change(project_.services.at(sub.id), repo, paths));
    batches.push_back(std::move(batch));
  }
  if (batches.empty()) return 0;
  // A running `qpod watch` sees the same changes and acts on them: one restart, not two.
  const auto watched = services_under_watch(project_.name);
  std::erase_if(batches, [&](const WatchBatch& b) {
    if (!watched.count(b.service)) return false;
    say << "Leaving service " << b.service << " to the running qpod watch\n" << std::flush;
    return true;
  });
  if (batches.empty()) return 0;

  auto lock = ProjectLock::acquire(project_.name);
  if (!lock) {
    for (const auto& e : lock.errors()) progress.error(format(e));
    return 1;
  }
  auto obs = observe(rt, project_.name);  // under the lock: which services run now
  if (!obs) {
    for (const auto& e : obs.errors()) progress.error(format(e));
    return 1;
  }
  auto say_line = [&](const std::string& line) { say << line << '\n' << std::flush; };
  int rc = 0;
  for (const auto& batch : batches) {
    const auto* c = obs->find(batch.service);
    if (!c || !c->running()) continue;  // a stopped service starts with the new files anyway
    if (!apply_batch(project_, rt, progress, batch, run, true, say_line)) rc = 1;
  }
  return rc;
}

}  // namespace qpod::engine
