#include "engine/apply.h"

#include <spdlog/spdlog.h>

#include <ostream>

namespace qpod::engine {

ExecOptions exec_options(const RunOptions& run, std::optional<int> stop_timeout) {
  ExecOptions e;
  e.parallelism = run.parallelism;
  e.stop_timeout_s = stop_timeout;
  e.cancel = run.cancel;
  e.wait_timeout = run.wait_timeout;
  return e;
}

int cancelled_exit_code(const RunOptions& run) {
  int sig = run.signal ? run.signal->load() : 0;
  return 128 + (sig > 0 ? sig : 2);  // SIGINT when unknown
}

int report(Progress& progress, const Diagnostics& errors) {
  for (const auto& e : errors) progress.error(format(e));
  return 1;
}

int apply_plan(const Plan& plan, const compose::Project& p, podman::Runtime& rt, Progress& progress,
               const RunOptions& run, std::ostream& plan_out, ExecOptions exec,
               const Prepare& prepare, const OnFailure& on_failure) {
  spdlog::debug("plan for {}:\n{}", p.name, to_string(plan));
  for (const auto& w : plan.warnings) progress.warning(w);
  for (const auto& e : plan.errors) progress.error(format(e));
  if (!plan.errors.empty()) return 1;
  if (run.dry_run) {
    plan_out << to_string(plan);
    return 0;
  }
  if (prepare) {
    if (auto prepared = prepare(plan); !prepared) return report(progress, prepared.errors());
  }
  ExecResult r = execute(plan, p, rt, progress, exec);
  if (r.ok()) return 0;
  for (const auto& f : r.failures) progress.error(f.service + ": " + f.message);
  if (r.cancelled) progress.error("cancelled");
  if (!r.cancelled && on_failure) on_failure();
  return 1;
}

}  // namespace qpod::engine
