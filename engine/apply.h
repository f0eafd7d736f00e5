#pragma once
// The tail every engine command shares once it has a plan: print its warnings and errors, show it
// (--dry-run) or execute it, and report what failed. Commands differ only in how they plan.
#include <atomic>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "engine/executor.h"
#include "engine/plan.h"
#include "engine/progress.h"
#include "podman/runtime.h"

namespace qpod::engine {

struct RunOptions {
  bool dry_run = false;                           // print the plan instead of running it
  int parallelism = 4;                            // podman calls at once
  const std::atomic<bool>* cancel = nullptr;      // Ctrl-C
  const std::atomic<int>* signal = nullptr;       // the signal that set `cancel` (SIGINT, SIGTERM)
  std::optional<compose::Duration> wait_timeout;  // up --wait-timeout
};

// The executor's options for a command run with `run` (stop_timeout: -t of stop, down, rm).
ExecOptions exec_options(const RunOptions& run, std::optional<int> stop_timeout = {});

// The exit code of a command a signal ended: 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
int cancelled_exit_code(const RunOptions& run);

// Runs just before execution (not on --dry-run): host-side set-up such as secret files. A
// failure (every problem it found) stops the command before anything is executed.
using Prepare = std::function<Status(const Plan&)>;

// Reports `errors` on `progress`; returns 1.
int report(Progress& progress, const Diagnostics& errors);

// Runs after a failed execution (not a cancelled one) has been reported: up's rollback.
using OnFailure = std::function<void()>;

// Returns the exit code: 0, or 1 with the plan's errors or the execution's failures reported.
int apply_plan(const Plan& plan, const compose::Project& p, podman::Runtime& rt, Progress& progress,
               const RunOptions& run, std::ostream& plan_out, ExecOptions exec,
               const Prepare& prepare = {}, const OnFailure& on_failure = {});

}  // namespace qpod::engine
