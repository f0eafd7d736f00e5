#include "engine/attach.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <ostream>
#include <sstream>
#include <thread>

#include "base/text.h"
#include "engine/logs_follow.h"
#include "podman/podman_argv.h"

namespace qpod::engine {
namespace {

// Kills the running containers of the services `o` stops; false when podman failed. One that
// a `podman stop` is waiting for is "stopping".
bool kill_running(const compose::Project& p, podman::Runtime& rt, Progress& progress,
                  const AttachOptions& o) {
  auto now = list_containers(rt, p.name);
  if (!now) return false;
  std::vector<std::string> running;
  for (const auto& c : log_targets(*now, o.stop_services))
    if (c.running() || c.state == "stopping") running.push_back(c.name);
  if (running.empty()) return true;
  podman::RunResult r = rt.run(podman::container_kill(running));
  for (const auto& name : running) progress.event("Container", name, "Killed");
  return r.ok();
}

// Stops the containers (in dependency order, through the stop plan). A second Ctrl-C during
// the stop kills what still runs at once: a `podman stop` in flight waits out its grace period,
// so a watcher kills the containers beside it (podman 4 takes the kill while the stop waits,
// and the stop then returns), and no further stop starts.
int stop_all(const compose::Project& p, podman::Runtime& rt, Progress& progress,
             const AttachOptions& o, const RunOptions& run,
             const std::function<void(const std::string&)>& say) {
  LifecycleOptions lo;
  lo.services = o.stop_services;
  lo.timeout_s = o.stop_timeout_s;
  RunOptions stop_run = run;
  stop_run.cancel = o.force;
  std::atomic<bool> stopped{false}, forced{false}, killed{true};
  std::thread watcher([&] {
    while (!stopped.load()) {
      if (o.force && o.force->load()) {
        forced = true;
        say("Forcing: killing the containers...");
        killed = kill_running(p, rt, progress, o);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::ostringstream plan_out;
  int code = stop(p, rt, progress, lo, stop_run, plan_out);
  stopped = true;
  watcher.join();
  if (!(o.force && o.force->load())) return code;
  if (!forced) say("Forcing: killing the containers...");
  // What the stop plan left (the second Ctrl-C stopped its scheduling), or what was started since.
  bool ok = kill_running(p, rt, progress, o) && killed;
  return ok ? code : 1;
}

}  // namespace

int attach(const compose::Project& p, podman::Runtime& rt, Progress& progress,
           const AttachOptions& o, const RunOptions& run, std::ostream& out) {
  auto first = list_containers(rt, p.name);
  if (!first) {
    for (const auto& e : first.errors()) progress.error(e.message);
    return 1;
  }
  auto targets = log_targets(*first, o.services);
  std::vector<std::string> names;
  for (const auto& t : targets) names.push_back(log_name(p.name, t.name));
  out << "Attaching to " << join(names, ", ") << std::endl;

  LogOptions lo;
  lo.services = o.services;
  lo.follow = true;
  lo.since = o.since;
  lo.color = o.color;
  lo.prefix = o.prefix;
  LogMux mux(rt, p.name, lo, names, out);
  for (const auto& t : targets) mux.attach(t, Reattach::FromStart, true);

  ExitRule rule = exit_rule_for(p);
  rule.abort_on_exit = o.abort_on_exit;
  rule.abort_on_failure = o.abort_on_failure;
  rule.exit_code_from = o.exit_code_from;
  AttachWatch watch(rule);
  std::optional<int> code;
  bool stop_needed = false;
  auto cancelled = [&] { return run.cancel && run.cancel->load(); };
  for (bool first_poll = true; !cancelled(); first_poll = false) {
    if (!first_poll && !nap(std::chrono::milliseconds(500), run.cancel)) break;
    auto now = list_containers(rt, p.name);
    if (!now) continue;
    auto cur = log_targets(*now, o.services);
    for (const auto& c : cur) {
      auto st = mux.state(c.name);
      Reattach how = reattach(st ? &*st : nullptr, c);
      if (how != Reattach::No) mux.attach(c, how, false);
    }
    WatchStep step = watch.update(cur);
    for (const auto& e : step.exited) {
      mux.wait_ended(e.container, std::chrono::milliseconds(1000));  // its last lines first
      mux.note(mux.name_of(e.container) + " exited with code " + std::to_string(e.exit_code));
    }
    if (step.abort) {
      out << "Aborting on container exit..." << std::endl;
      stop_needed = true;
      code = step.exit_code;
      break;
    }
    if (step.done) {
      code = step.exit_code;
      break;
    }
  }
  int stop_code = 0;
  if (cancelled()) {
    out << "Gracefully stopping... (press Ctrl+C again to force)" << std::endl;
    stop_needed = true;
    code = cancelled_exit_code(run);
  }
  if (stop_needed)
    stop_code = stop_all(p, rt, progress, o, run, [&](const std::string& t) { mux.note(t); });
  mux.wait_for(std::chrono::milliseconds(2000));  // the stopped containers' last lines
  mux.stop();
  if (!code && !o.exit_code_from.empty()) {
    // Aborted by another container: the chosen service's code, as the stop left it.
    auto now = list_containers(rt, p.name);
    if (now)
      for (const auto& c : log_targets(*now, {o.exit_code_from})) code = c.exit_code;
  }
  if (stop_code != 0 && !code) return stop_code;
  return code.value_or(stop_code);
}

}  // namespace qpod::engine
