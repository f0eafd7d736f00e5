#include "engine/watch_loop.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "base/text.h"
#include "engine/lock.h"
#include "engine/observe.h"
#include "engine/planner.h"
#include "engine/watch_marker.h"
#include "engine/watch_sync.h"
#include "podman/podman_argv.h"
#include "watch/watcher.h"

namespace qpod::engine {
namespace {

// --quiet: the watch's own lines stay, the engine's "Container ... Restarted" lines go.
class QuietProgress : public Progress {
 public:
  explicit QuietProgress(Progress& inner) : inner_(inner) {}
  void event(const std::string&, const std::string&, const std::string&) override {}
  void warning(const std::string& text) override { inner_.warning(text); }
  void error(const std::string& text) override { inner_.error(text); }

 private:
  Progress& inner_;
};

class WatcherSource : public ChangeSource {
 public:
  explicit WatcherSource(watch::Watcher& w) : w_(w) {}
  std::vector<watch::Fired> poll(std::chrono::milliseconds timeout) override {
    return w_.poll(timeout);
  }
  void wake() override { w_.wake(); }
  Diagnostics take_warnings() override { return w_.take_warnings(); }

 private:
  watch::Watcher& w_;
};

bool is_dir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(std::filesystem::symlink_status(path, ec));
}

// The podman exec options of a sync+exec command.
podman::ExecArgs exec_args(const compose::ServiceHook& hook) {
  podman::ExecArgs o;
  o.privileged = hook.privileged;
  o.user = hook.user;
  o.workdir = hook.working_dir;
  for (const auto& [k, v] : hook.environment) o.env.push_back(v ? k + "=" + *v : k);
  return o;
}

// Takes the project's lock into `lock` when `wanted`; false (reported) when it cannot.
bool lock_project(std::optional<ProjectLock>& lock, const std::string& name, bool wanted,
                  Progress& progress) {
  if (!wanted) return true;
  auto held = ProjectLock::acquire(name);
  if (!held) {
    for (const auto& e : held.errors()) progress.error(format(e));
    return false;
  }
  lock.emplace(std::move(*held));
  return true;
}

// Whether the service's container runs now (one observe).
bool running_now(podman::Runtime& rt, const compose::Project& p, const std::string& service) {
  auto obs = observe(rt, p.name);
  if (!obs) return false;
  const auto* c = obs->find(service);
  return c && c->running();
}

}  // namespace

bool apply_batch(const compose::Project& p, podman::Runtime& rt, Progress& progress,
                 const WatchBatch& batch, const RunOptions& run, bool prune,
                 const std::function<void(const std::string&)>& say) {
  const compose::Service& service = p.services.at(batch.service);
  std::ostringstream no_plan;  // never dry-run here: the plans are not printed
  for (const auto& action : batch.actions()) {
    say(describe(action, batch));
    switch (action.kind) {
      case watch::ActionKind::kSync: {
        auto steps = plan_sync(action.files, batch.overflow, is_dir);
        if (auto synced = run_sync(p, service, rt, steps, run.parallelism); !synced) {
          for (const auto& f : synced.errors())
            progress.error(batch.service + ": sync: " + f.message);
          return false;
        }
        break;
      }
      case watch::ActionKind::kRestart: {
        LifecycleOptions o;
        o.services = {batch.service};
        if (restart(p, rt, progress, o, run, no_plan) != 0) return false;
        break;
      }
      case watch::ActionKind::kRebuild: {
        UpOptions o;
        o.services = {batch.service};
        o.no_deps = true;
        o.force_recreate = true;
        o.images.build = true;  // a service with `build` gets its image rebuilt first
        if (up(p, rt, progress, o, run, no_plan) != 0) return false;
        if (prune && service.build) {  // the image the rebuild replaced, now untagged
          podman::Argv argv = podman::image_prune_dangling(p.name);
          if (podman::RunResult r = rt.run(argv); !r.ok())
            progress.warning(batch.service + ": " + podman::describe_failure(argv, r));
        }
        break;
      }
      case watch::ActionKind::kExec:
        for (const auto& hook : action.hooks) {
          podman::Argv argv = podman::container_exec(p, service, exec_args(hook), hook.command);
          podman::RunResult r = rt.run(argv);
          for (const auto& line : split_lines(r.out)) say(batch.service + "  | " + line);
          if (!r.ok()) {
            progress.error(batch.service + ": exec: " + podman::describe_failure(argv, r));
            return false;
          }
        }
        break;
    }
  }
  return true;
}

int watch_loop(const compose::Project& p, podman::Runtime& rt, Progress& progress,
               ChangeSource& source, const WatchLoopOptions& o, const RunOptions& run,
               std::ostream& out) {
  std::mutex say_mu;
  auto say = [&](const std::string& line) {
    std::lock_guard lock(say_mu);
    out << line << '\n' << std::flush;  // flushed: a pipe or a file reads it at once
  };
  QuietProgress quiet(progress);
  Progress& action_progress = o.quiet ? static_cast<Progress&>(quiet) : progress;
  const std::set<std::string> selected(o.services.begin(), o.services.end());
  const std::string repo = watch::repository_root(p);
  auto cancelled = [&] { return run.cancel && run.cancel->load(); };

  std::mutex mu;  // guards queue and workers
  WatchQueue queue;
  std::map<std::string, std::thread> workers;  // the last batch's thread of each service
  auto run_batch = [&](const WatchBatch& batch) {
    std::optional<ProjectLock> lock;
    if (!lock_project(lock, p.name, o.lock, progress)) return;
    if (o.only_if_running.count(batch.service) && !running_now(rt, p, batch.service)) return;
    apply_batch(p, rt, action_progress, batch, run, o.prune, say);
  };

  while (!cancelled()) {
    auto fired = source.poll(o.tick);
    for (const auto& w : source.take_warnings()) progress.warning(format(w));
    std::lock_guard lock(mu);
    for (const auto& f : fired) {
      auto it = p.services.find(f.id);
      if (it == p.services.end() || (!selected.empty() && !selected.count(f.id))) continue;
      auto actions = f.overflow ? watch::actions_for_overflow(it->second)
                                : watch::actions_for_change(it->second, repo, f.paths);
      queue.add(f.id, actions, f.paths.size(), f.overflow);
    }
    while (auto batch = queue.take()) {
      // The service's previous thread has called done(): it is finishing, or finished.
      auto& slot = workers[batch->service];
      if (slot.joinable()) slot.join();
      slot = std::thread([&, b = std::move(*batch)] {
        run_batch(b);
        {
          std::lock_guard done_lock(mu);
          queue.done(b.service);
        }
        source.wake();  // the loop takes the service's next batch now
      });
    }
    if (source.exhausted() && queue.idle()) break;
  }
  for (auto& [name, t] : workers)
    if (t.joinable()) t.join();
  return 0;
}

int watch(const compose::Project& p, podman::Runtime& rt, Progress& progress,
          const WatchLoopOptions& o, const RunOptions& run, std::ostream& out) {
  std::set<std::string> named(o.services.begin(), o.services.end());
  std::set<std::string> only_if_running;
  if (named.empty()) {  // what `up` starts: not a QPOD template's binary and manual services
    auto g = graph::ServiceGraph::build(p);
    if (!g) {
      for (const auto& e : g.errors()) progress.error(format(e));
      return 1;
    }
    named = default_up_selection(p, *g);
    for (const auto& s : watch::subscriptions(p))  // the others, while something runs them
      if (named.insert(s.id).second) only_if_running.insert(s.id);
  }
  std::vector<watch::Subscription> subs;
  for (auto& s : watch::subscriptions(p))
    if (named.count(s.id)) subs.push_back(std::move(s));
  for (const auto& name : o.services) {
    bool watched = false;
    for (const auto& s : subs) watched = watched || s.id == name;
    if (!watched)
      progress.warning("service " + name +
                       " has nothing to watch (no develop.watch"
                       " rule, no x-qpod watch entry)");
  }
  if (subs.empty()) {
    progress.error(
        "none of the selected services is configured for watch: add a develop.watch"
        " section (or, in a QPOD template, `watch` paths)");
    return 1;
  }
  compose::Project watched = p;  // the roots of the watched services only
  std::erase_if(watched.services, [&](const auto& kv) {
    for (const auto& s : subs)
      if (s.id == kv.first) return false;
    return true;
  });
  std::vector<std::filesystem::path> roots;
  for (const auto& r : watch::watch_roots(watched)) roots.emplace_back(r);
  watch::WatchOptions wo;
  wo.debounce = o.debounce;
  wo.named = watch::named_paths(watched);
  auto watcher = watch::Watcher::create(roots, wo);
  if (!watcher) {
    for (const auto& e : watcher.errors()) progress.error(format(e));
    return 1;
  }
  WatchLoopOptions loop = o;
  loop.services.clear();
  loop.only_if_running = only_if_running;
  for (auto& s : subs) {
    loop.services.push_back(s.id);
    watcher->subscribe(std::move(s));
  }
  // exec-env leaves the changes of these services to this watch (watch_marker.h).
  std::optional<WatchMarker> marker;
  if (o.lock) {
    auto held = WatchMarker::hold(p.name, loop.services);
    if (!held) {
      for (const auto& e : held.errors()) progress.error(format(e));
      return 1;
    }
    marker.emplace(std::move(*held));
  }
  if (o.up) {
    std::optional<ProjectLock> lock;
    if (!lock_project(lock, p.name, o.lock, progress)) return 1;
    if (int rc = up(p, rt, progress, *o.up, run, out); rc != 0) return rc;
  }
  // initial_sync: the container starts from the host's files, not from what its image had.
  for (const auto& name : loop.services) {
    const compose::Service& s = p.services.at(name);
    const auto files = watch::initial_sync_files(s);
    if (files.empty() || (only_if_running.count(name) && !running_now(rt, p, name))) continue;
    out << "Syncing service " << name << " (initial sync of " << files.size()
        << (files.size() == 1 ? " path)\n" : " paths)\n") << std::flush;
    if (auto synced = run_sync(p, s, rt, plan_sync(files, false, is_dir), run.parallelism); !synced)
      for (const auto& f : synced.errors()) progress.error(name + ": initial sync: " + f.message);
  }
  out << "Watch enabled\n" << std::flush;
  WatcherSource source(*watcher);
  return watch_loop(p, rt, progress, source, loop, run, out);
}

}  // namespace qpod::engine
