#include "engine/executor.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/result.h"
#include "base/text.h"
#include "engine/hooks.h"
#include "engine/images.h"
#include "engine/provider.h"
#include "podman/podman_argv.h"

namespace qpod::engine {
namespace {

// "Created" → "Creating": the status a terminal shows while the step runs.
std::string under_way(const std::string& done) {
  static const std::pair<const char*, const char*> kSteps[] = {{"Created", "Creating"},
                                                               {"Started", "Starting"},
                                                               {"Stopped", "Stopping"},
                                                               {"Restarted", "Restarting"},
                                                               {"Removed", "Removing"}};
  for (const auto& [finished, doing] : kSteps)
    if (done == finished) return doing;
  return done;
}

using namespace std::chrono_literals;
using compose::Duration;
using Clock = std::chrono::steady_clock;

// An action's outcome: done, or why not (the message ExecFailure carries, podman's stderr in it).
Status done() { return std::monostate{}; }
Status failed(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }
const std::string& message_of(const Status& failure) { return failure.errors().front().message; }

// The last health check's output, from `podman inspect`.
std::string last_health_output(podman::Runtime& rt, const std::string& container) {
  podman::RunResult r = rt.run(podman::health_log(container));
  if (!r.ok()) return trim(r.err);
  try {
    auto j = nlohmann::json::parse(r.out);
    if (j.is_object() && j.contains("Log") && j["Log"].is_array() && !j["Log"].empty()) {
      const auto& last = j["Log"].back();
      return "exit " + std::to_string(last.value("ExitCode", 0)) + ": " +
             trim(last.value("Output", std::string()));
    }
  } catch (const std::exception&) {
  }
  return trim(r.out);
}

constexpr std::size_t kBuildTail = 25;  // lines of a failed build's output in its error

// dockerfile_inline, written to a file for `podman build --file` while the build runs.
struct InlineContainerfile {
  std::string path;
  InlineContainerfile(const compose::Project& p, const compose::Service& s) {
    if (!s.build || s.build->dockerfile_inline.empty()) return;
    path = (std::filesystem::temp_directory_path() /
            ("qpod-" + p.name + "-" + s.name + "-" + std::to_string(::getpid()) + ".Containerfile"))
               .string();
    std::ofstream(path) << s.build->dockerfile_inline;
  }
  ~InlineContainerfile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
  InlineContainerfile(const InlineContainerfile&) = delete;
  InlineContainerfile& operator=(const InlineContainerfile&) = delete;
};

class Executor {
 public:
  Executor(const Plan& plan, const compose::Project& p, podman::Runtime& rt, Progress& progress,
           const ExecOptions& o)
      : plan_(plan), p_(p), rt_(rt), progress_(progress), o_(o) {
    if (o.wait_timeout) wait_deadline_ = Clock::now() + *o.wait_timeout;
    std::size_t n = plan.actions.size();
    waiting_on_.resize(n);
    dependants_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      waiting_on_[i] = static_cast<int>(plan.actions[i].after.size());
      for (int a : plan.actions[i].after)
        dependants_[static_cast<std::size_t>(a)].push_back(static_cast<int>(i));
      if (waiting_on_[i] == 0) ready_.push_back(static_cast<int>(i));
    }
  }

  ExecResult run() {
    std::size_t workers = std::min<std::size_t>(
        static_cast<std::size_t>(std::max(1, o_.parallelism)), plan_.actions.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers; ++i) threads.emplace_back([this] { work(); });
    for (auto& t : threads) t.join();
    return std::move(result_);
  }

 private:
  bool stopping() const { return !result_.failures.empty() || (o_.cancel && o_.cancel->load()); }

  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      // The cancel flag is set from a signal handler, which cannot notify: poll it.
      cv_.wait_for(lock, 100ms, [this] { return stopping() || !ready_.empty() || running_ == 0; });
      if (stopping()) {
        if (o_.cancel && o_.cancel->load()) result_.cancelled = true;
        cv_.notify_all();
        return;
      }
      if (ready_.empty()) {
        if (running_ == 0) return;  // all done (or blocked behind nothing: cannot happen)
        continue;
      }
      int i = ready_.front();
      ready_.pop_front();
      ++running_;
      lock.unlock();
      Status outcome = perform(plan_.actions[static_cast<std::size_t>(i)]);
      lock.lock();
      --running_;
      const Action& a = plan_.actions[static_cast<std::size_t>(i)];
      if (!outcome && plan_.optional.count(i)) {
        // required: false: the dependants go on without it.
        progress_.warning(a.service + ": " + message_of(outcome) +
                          " (required: false: continuing)");
        outcome = done();
      }
      if (!outcome) {
        result_.failures.push_back(
            {i, a.service.empty() ? p_.name : a.service, message_of(outcome)});
      } else {
        ++result_.ran;
        for (int d : dependants_[static_cast<std::size_t>(i)])
          if (--waiting_on_[static_cast<std::size_t>(d)] == 0) ready_.push_back(d);
      }
      cv_.notify_all();
    }
  }

  // Sleeps up to `d`; returns false when the run is stopping (a failure elsewhere, Ctrl-C).
  bool pause(Duration d) {
    std::unique_lock lock(mu_);
    auto until = Clock::now() + d;
    while (!stopping()) {
      auto step = std::min<Clock::duration>(until - Clock::now(), 100ms);
      if (step <= Clock::duration::zero()) return true;
      cv_.wait_for(lock, step);
    }
    return false;
  }

  std::string container_of(const Action& a) const {
    if (!a.container.empty()) return a.container;
    return podman::container_name(p_, p_.services.at(a.service), a.number);
  }

  // Runs argv; on failure returns podman's error in brief, on success reports `status`.
  Status step(const podman::Argv& argv, const char* kind, const std::string& name,
              const char* status) {
    progress_.begin(kind, name, under_way(status));
    Status ran = call(argv);
    if (ran) progress_.event(kind, name, status);
    return ran;
  }
  // One podman call, its failure brief (the whole argv goes to the debug log only).
  Status call(const podman::Argv& argv) {
    podman::RunResult r = rt_.run(argv);
    if (r.ok()) return done();
    spdlog::debug("{}", podman::describe_failure(argv, r));
    return failed(podman::brief_failure(argv, r));
  }

  // The pod's containers go with it: each is named, as docker compose's down names them.
  Status remove_pod(const Action& a) {
    for (const auto& m : a.members) progress_.begin("Container", m, "Removing");
    progress_.begin("Pod", podman::pod_name(p_), "Removing");
    if (Status removed = call(podman::pod_rm(podman::pod_name(p_), o_.stop_timeout_s)); !removed)
      return removed;
    for (const auto& m : a.members) progress_.event("Container", m, "Removed");
    progress_.event("Pod", podman::pod_name(p_), "Removed");
    return done();
  }

  // Compose's lifecycle hooks, each a `podman exec` in the action's container: post_start after
  // it started, pre_stop before it stops (a failure stops the stop, as in docker compose).
  Status hooks(const Action& a, bool post_start) {
    auto it = p_.services.find(a.service);
    if (it == p_.services.end()) return done();  // an orphan: no hooks known
    return run_hooks(rt_, it->second, container_of(a), post_start);
  }
  // After `outcome` (a step's): the post_start hooks when it succeeded.
  Status then(Status outcome, const Action& a, bool post_start) {
    return outcome ? hooks(a, post_start) : outcome;
  }

  Status perform(const Action& a) {
    switch (a.kind) {
      case ActionKind::CreateNetwork:
        return step(podman::network_create(p_, a.service), "Network",
                    podman::network_name(p_, a.service), "Created");
      case ActionKind::CreateVolume:
        return step(podman::volume_create(p_, a.service), "Volume",
                    podman::volume_name(p_, a.service), "Created");
      case ActionKind::CreatePod: {
        Status made = step(podman::pod_create(p_), "Pod", podman::pod_name(p_), "Created");
        if (!made || !a.start_pod) return made;
        // Its infra runs before the containers start in parallel (podman_argv's pod_start).
        return call(podman::pod_start(podman::pod_name(p_)));
      }
      case ActionKind::RemovePod:
        return remove_pod(a);
      case ActionKind::CreateContainer:
        return step(podman::container_create(p_, p_.services.at(a.service), a.number,
                                             provided(a.service), rt_.host_facts()),
                    "Container", container_of(a), "Created");
      case ActionKind::Run:
        return then(step(podman::container_run(p_, p_.services.at(a.service), a.number,
                                               provided(a.service), rt_.host_facts()),
                         "Container", container_of(a), "Started"),
                    a, true);
      case ActionKind::Start:
        return then(step(podman::container_start({container_of(a)}), "Container", container_of(a),
                         "Started"),
                    a, true);
      case ActionKind::Stop:
        if (auto pre_stop = hooks(a, false); !pre_stop) return pre_stop;
        return step(podman::container_stop({container_of(a)}, o_.stop_timeout_s), "Container",
                    container_of(a), "Stopped");
      case ActionKind::Restart:
        if (auto pre_stop = hooks(a, false); !pre_stop) return pre_stop;
        return then(step(podman::container_restart({container_of(a)}, o_.stop_timeout_s),
                         "Container", container_of(a), "Restarted"),
                    a, true);
      case ActionKind::Remove:
        return step(podman::container_rm({container_of(a)}, o_.stop_timeout_s), "Container",
                    container_of(a), "Removed");
      case ActionKind::RemoveVolume:
        return step(podman::volume_rm({a.service}), "Volume", a.service, "Removed");
      case ActionKind::RemoveNetwork:
        return step(podman::network_rm({a.service}), "Network", a.service, "Removed");
      case ActionKind::Kill:
        return step(podman::container_kill({container_of(a)}, a.signal), "Container",
                    container_of(a), "Killed");
      case ActionKind::Pause:
        return step(podman::container_pause({container_of(a)}), "Container", container_of(a),
                    "Paused");
      case ActionKind::Unpause:
        return step(podman::container_unpause({container_of(a)}), "Container", container_of(a),
                    "Unpaused");
      case ActionKind::RemoveKeepVolumes:
        return step(podman::container_rm_keep_volumes({container_of(a)}), "Container",
                    container_of(a), "Removed");
      case ActionKind::WaitHealthy:
        return wait_healthy(a);
      case ActionKind::WaitCompleted:
        return wait_completed(a);
      case ActionKind::Build:
        return build_image(a);
      case ActionKind::Pull:
        return pull_image(a);
      case ActionKind::RemoveImage:
        return remove_image(a);
      case ActionKind::WaitRunning:
        return wait_running(a);
      case ActionKind::ProviderUp:
        return provider(a, "up");
      case ActionKind::ProviderDown:
        return provider(a, "down");
      case ActionKind::ProviderStop:
        return provider(a, "stop");
    }
    return failed("unknown action");
  }

  // qpod runs the health checks itself (podman's timers need systemd): a first probe at once,
  // then one per interval (start_interval during start_period); failures during start_period
  // do not count; `retries` failures in a row make the service unhealthy.
  Status wait_healthy(const Action& a) {
    const auto& s = p_.services.at(a.service);
    std::string ctr = container_of(a);
    compose::Healthcheck hc = s.healthcheck.value_or(compose::Healthcheck{});
    Duration interval = hc.interval.value_or(30s);
    Duration start_period = hc.start_period.value_or(0s);
    Duration start_interval = hc.start_interval.value_or(interval);
    int retries = hc.retries.value_or(3);
    // up --wait says "service"; a dependants' wait says "dependency".
    std::string who = (a.waiter == Waiter::UpWait ? "service " : "dependency ") + a.service;
    progress_.event("Container", ctr, "Waiting");
    auto begin = Clock::now();
    int failures = 0;
    for (bool first = true;; first = false) {
      podman::Argv argv = podman::healthcheck_run(ctr);
      podman::RunResult r = rt_.run(argv);
      if (r.ok()) {
        progress_.event("Container", ctr, "Healthy");
        return done();
      }
      if (r.exit_code != 1)  // 125: no health check, not running...
        return failed(who + " cannot become healthy: " + podman::describe_failure(argv, r));
      bool starting = Clock::now() - begin < start_period;
      if (!first && !starting && ++failures >= std::max(1, retries))
        return failed(who + " is unhealthy (" + last_health_output(rt_, ctr) + ")");
      Duration next = starting ? start_interval : interval;
      if (wait_deadline_ && Clock::now() + next > *wait_deadline_)
        return failed(who + " is not healthy after --wait-timeout " +
                      podman::podman_duration(*o_.wait_timeout) + " (" +
                      last_health_output(rt_, ctr) + ")");
      if (!pause(next)) return failed("cancelled");
    }
  }

  // up --wait on a service without a health check: running, or exited with 0 (a one-shot job).
  Status wait_running(const Action& a) {
    std::string ctr = container_of(a);
    podman::Argv argv = podman::container_state(ctr);
    podman::RunResult r = rt_.run(argv);
    if (!r.ok()) return failed(podman::describe_failure(argv, r));
    std::string state = trim(r.out);
    std::string status = state.substr(0, state.find(' '));
    std::string code =
        state.find(' ') == std::string::npos ? "" : state.substr(state.find(' ') + 1);
    if (status == "running") {
      progress_.event("Container", ctr, "Running");
      return done();
    }
    if (status == "exited" && code == "0") {
      progress_.event("Container", ctr, "Exited");
      return done();
    }
    return failed("service " + a.service + " is not running (" + status +
                  (code.empty() || code == "0" ? "" : ", exit code " + code) + ")");
  }

  // A provider service's program; what its `up` hands the dependants goes into their containers.
  Status provider(const Action& a, const std::string& command) {
    auto r = run_provider(rt_, p_, p_.services.at(a.service), command, progress_, o_.cancel);
    if (!r) return r.errors();
    if (command != "up") return done();
    std::vector<std::string> warnings;
    {
      std::lock_guard lock(mu_);
      provide_variables(p_, a.service, *r, provided_, warnings);
    }
    for (const auto& w : warnings) progress_.warning(w);
    return done();
  }

  compose::StringMap provided(const std::string& service) {
    std::lock_guard lock(mu_);
    auto it = provided_.find(service);
    return it == provided_.end() ? compose::StringMap{} : it->second;
  }

  // --- build area: images ---
  Status build_image(const Action& a) {
    const compose::Service& s = p_.services.at(a.service);
    std::string image = podman::image_of(p_, s);
    podman::BuildFlags flags = o_.build;
    InlineContainerfile inline_file(p_, s);
    if (!inline_file.path.empty()) flags.dockerfile = inline_file.path;
    podman::Argv argv = podman::image_build(p_, s, flags);
    progress_.event("Image", image, "Building");
    std::deque<std::string> tail;  // the end of the output, for the error
    podman::RunResult r = rt_.stream(argv, [&](const std::string& line, bool is_err) {
      tail.push_back(line);
      if (tail.size() > kBuildTail) tail.pop_front();
      if (o_.build_output) o_.build_output(line, is_err);
    });
    if (!r.ok()) {
      std::string msg =
          "building image " + image + " failed (exit " + std::to_string(r.exit_code) + ")";
      if (!trim(r.err).empty()) msg += ": " + trim(r.err);
      for (const auto& line : tail) msg += "\n    " + line;
      return failed(msg);
    }
    progress_.event("Image", image, "Built");
    return done();
  }

  Status pull_image(const Action& a) {
    std::string image = podman::image_of(p_, p_.services.at(a.service));
    podman::Argv argv = podman::image_pull(image, true);
    if (!o_.quiet_pull) progress_.event("Image", image, "Pulling");
    podman::RunResult r = rt_.run(argv);
    if (!r.ok()) {
      // podman's last "Error:" line says why; its retry warnings say it three times more.
      const compose::Service& s = p_.services.at(a.service);
      std::string msg =
          at_image(s, "image " + image + " is not here and cannot be pulled (" +
                          podman::brief_failure(argv, r) + "): " + missing_image_hint(s));
      if (!o_.ignore_pull_failures) return failed(msg);
      progress_.warning(msg);
      return done();
    }
    if (!o_.quiet_pull) progress_.event("Image", image, "Pulled");
    return done();
  }

  // A failure (an image another container uses) is a warning: the project is already down.
  Status remove_image(const Action& a) {
    podman::Argv argv = podman::image_rm({a.service});
    podman::RunResult r = rt_.run(argv);
    if (!r.ok())
      progress_.warning("image " + a.service + " kept: " + podman::describe_failure(argv, r));
    else if (!trim(r.out).empty())  // empty: it did not exist
      progress_.event("Image", a.service, "Removed");
    return done();
  }

  Status wait_completed(const Action& a) {
    std::string ctr = container_of(a);
    podman::Argv argv = podman::container_wait(ctr);
    podman::RunResult r = rt_.run(argv);
    if (!r.ok()) return failed(podman::describe_failure(argv, r));
    std::string code = trim(r.out);
    if (code != "0")
      return failed("service " + a.service + " didn't complete successfully: exit " + code);
    progress_.event("Container", ctr, "Exited");
    return done();
  }

  const Plan& plan_;
  const compose::Project& p_;
  podman::Runtime& rt_;
  Progress& progress_;
  const ExecOptions& o_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> waiting_on_;
  std::vector<std::vector<int>> dependants_;
  std::deque<int> ready_;
  int running_ = 0;
  ExecResult result_;
  std::optional<Clock::time_point> wait_deadline_;
  std::map<std::string, compose::StringMap> own_provided_;
  std::map<std::string, compose::StringMap>& provided_ =  // service -> provider variables
      o_.provided ? *o_.provided : own_provided_;
};

}  // namespace

ExecResult execute(const Plan& plan, const compose::Project& p, podman::Runtime& rt,
                   Progress& progress, const ExecOptions& o) {
  if (plan.actions.empty()) return {};
  return Executor(plan, p, rt, progress, o).run();
}

}  // namespace qpod::engine
