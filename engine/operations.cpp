#include "engine/operations.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "compose/validate.h"
#include "engine/executor.h"
#include "engine/observe.h"
#include "engine/port_check.h"
#include "engine/prepare.h"
#include "engine/provider.h"
#include "engine/remote_files.h"
#include "engine/rollback.h"
#include "graph/service_graph.h"
#include "podman/podman_argv.h"
#include "podman/remote.h"

namespace qpod::engine {
namespace {

// For start/restart: every selected service must have a container.
struct NoCheck {
  template <class O>
  bool operator()(const compose::Project&, const Observed&, const O&, Progress&) const {
    return true;
  }
};
struct ContainersExist {
  bool operator()(const compose::Project& p, const Observed& obs, const LifecycleOptions& o,
                  Progress& progress) const {
    auto missing = missing_containers(p, obs, o);
    for (const auto& name : missing)
      progress.error("service " + name + " has no container; run `qpod up " + name + "` first");
    return missing.empty();
  }
};

template <class Options, class Planner, class Check = NoCheck>
int observe_plan_execute(const compose::Project& p, podman::Runtime& rt, Progress& progress,
                         const Options& o, const RunOptions& run, std::ostream& plan_out,
                         const ObserveOptions& what, ExecOptions exec, Planner planner,
                         Check check = {}, const Prepare& prepare = {}) {
  auto g = graph::ServiceGraph::build(p);
  if (!g) return report(progress, g.errors());
  auto obs = observe(rt, p.name, what);
  if (!obs) return report(progress, obs.errors());
  if (!check(p, *obs, o, progress)) return 1;
  Plan plan = planner(p, *g, *obs, o);
  return apply_plan(plan, p, rt, progress, run, plan_out, std::move(exec), prepare);
}

// docker compose names every container `up` left as it was: " ✔ Container demo-web-1  Running".
void say_running(const compose::Project& p, const graph::ServiceGraph& g, const Observed& before,
                 const Plan& plan, const UpOptions& o, Progress& progress) {
  if (o.pod_only) return;
  std::set<std::string> touched;
  for (const auto& a : plan.actions) touched.insert(a.service);
  std::set<std::string> selected =
      o.services.empty() ? default_up_selection(p, g) : g.select(o.services, !o.no_deps);
  std::set<std::string> running;  // in name order: podman lists in no set order
  for (const auto& c : before.containers)
    if (!c.oneoff && c.running() && selected.count(c.service) && !touched.count(c.service))
      running.insert(c.name);
  for (const auto& name : running) progress.event("Container", name, "Running");
}

}  // namespace

int up(const compose::Project& p, podman::Runtime& rt, Progress& progress, const UpOptions& o,
       const RunOptions& run, std::ostream& plan_out,
       std::map<std::string, compose::StringMap>* provided) {
  // One pod: its services share ports. Refused before anything is created or observed.
  if (auto clashes = compose::validate_pod(p.node); !clashes.empty())
    return report(progress, clashes);
  auto g = graph::ServiceGraph::build(p);
  if (!g) return report(progress, g.errors());
  ObserveOptions what = observe_options_for_up(p);
  auto before = observe(rt, p.name, what);
  if (!before) return report(progress, before.errors());
  UpOptions planned = o;
  planned.host = rt.host_facts();
  Plan plan = plan_up(p, *g, *before, planned);
  for (auto& e : missing_providers(rt, p, plan)) plan.errors.push_back(std::move(e));
  if (podman::podman_is_remote() && !o.pod_only) {
    auto selected =
        o.services.empty() ? default_up_selection(p, *g) : g->select(o.services, !o.no_deps);
    if (auto local = remote_files_warning(p, selected)) progress.warning(*local);
  }
  std::map<std::string, compose::StringMap> own;
  std::map<std::string, compose::StringMap>& vars = provided ? *provided : own;
  // Providers first: what they hand over decides which dependants are current (as docker
  // compose, whose config hash holds the variables). Nothing else was created yet: a failure
  // leaves nothing to roll back.
  if (Plan first = leading_providers(plan); !run.dry_run && plan.errors.empty() && !first.empty()) {
    ExecOptions exec = exec_options(run);
    exec.provided = &vars;
    if (int code = apply_plan(first, p, rt, progress, run, plan_out, exec); code != 0) return code;
    for (const auto& a : first.actions) planned.providers_done.insert(a.service);
    planned.provided = vars;
    plan = plan_up(p, *g, *before, planned);
  }
  auto prepare = [&](const Plan& pl) -> Status {
    // A new pod publishes the ports when it starts, as does one `create` made that never ran:
    // each must be free (a pod that ran holds its own; they go with it). `create` itself
    // starts nothing, as docker compose create, which binds no port either.
    const bool never_ran = before->pod && before->pod->status == "Created";
    if (!o.create_only &&
        (never_ran || std::any_of(pl.actions.begin(), pl.actions.end(), [](const Action& a) {
           return a.kind == ActionKind::CreatePod;
         }))) {
      auto busy = check_host_ports(
          p, before->pod && !never_ran ? before->pod->ports : std::vector<HostPort>{});
      if (!busy.empty()) return busy;
    }
    return prepare_host(p, pl);
  };
  // A failure takes back what this up created: a second look says what is new.
  auto roll_back = [&] {
    ObserveOptions again = what;
    again.images.clear();
    auto after = observe(rt, p.name, again);
    if (!after) return void(report(progress, after.errors()));
    Plan undo = plan_rollback(*before, *after);
    if (undo.actions.empty()) return;
    spdlog::debug("rollback for {}:\n{}", p.name, to_string(undo));
    ExecOptions exec = exec_options(run, 0);
    exec.cancel = nullptr;  // a rollback runs to its end
    ExecResult r = execute(undo, p, rt, progress, exec);
    for (const auto& f : r.failures) progress.error("rollback: " + f.service + ": " + f.message);
  };
  ExecOptions exec = exec_options(run, o.timeout_s);
  exec.provided = &vars;
  int code = apply_plan(plan, p, rt, progress, run, plan_out, exec, prepare, roll_back);
  if (code == 0 && !run.dry_run) say_running(p, *g, *before, plan, o, progress);
  return code;
}

int down(const compose::Project& p, podman::Runtime& rt, Progress& progress, const DownOptions& o,
         const RunOptions& run, std::ostream& plan_out) {
  int code = observe_plan_execute(p, rt, progress, o, run, plan_out, observe_options_for_down(o),
                                  exec_options(run, o.timeout_s), plan_down);
  // The files written for environment/content secrets go with the containers that used them.
  if (code == 0 && !run.dry_run) {
    std::error_code ec;
    std::filesystem::remove_all(podman::host_files_dir(p.name), ec);
  }
  return code;
}

int build(const compose::Project& p, podman::Runtime& rt, Progress& progress, const BuildOptions& o,
          const RunOptions& run, std::ostream& plan_out) {
  ExecOptions exec = exec_options(run);
  exec.build = o.flags;
  exec.build_output = o.output;
  return apply_plan(plan_build(p, o.services), p, rt, progress, run, plan_out, std::move(exec));
}

int pull(const compose::Project& p, podman::Runtime& rt, Progress& progress, const PullOptions& o,
         const RunOptions& run, std::ostream& plan_out) {
  ExecOptions exec = exec_options(run);
  exec.quiet_pull = o.quiet;
  exec.ignore_pull_failures = o.ignore_failures;
  return apply_plan(plan_pull(p, o.services), p, rt, progress, run, plan_out, std::move(exec));
}

int start(const compose::Project& p, podman::Runtime& rt, Progress& progress,
          const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out) {
  return observe_plan_execute(p, rt, progress, o, run, plan_out, {}, exec_options(run, o.timeout_s),
                              plan_start, ContainersExist{});
}

int stop(const compose::Project& p, podman::Runtime& rt, Progress& progress,
         const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out) {
  return observe_plan_execute(p, rt, progress, o, run, plan_out, {}, exec_options(run, o.timeout_s),
                              plan_stop);
}

int restart(const compose::Project& p, podman::Runtime& rt, Progress& progress,
            const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out) {
  return observe_plan_execute(p, rt, progress, o, run, plan_out, {}, exec_options(run, o.timeout_s),
                              plan_restart, ContainersExist{});
}

}  // namespace qpod::engine
