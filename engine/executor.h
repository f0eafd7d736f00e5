#pragma once
// Runs a Plan on a podman::Runtime: a parallel walk of the plan's DAG (bounded worker threads),
// each action after its `after` actions. It decides nothing: what to do and in which order is the
// plan's. The first failure stops scheduling; running actions finish; the failure is reported
// with the service and podman's stderr.
#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/plan.h"
#include "engine/progress.h"
#include "podman/podman_argv.h"
#include "podman/runtime.h"

namespace qpod::engine {

struct ExecOptions {
  int parallelism = 4;
  std::optional<int> stop_timeout_s;          // for stop and pod rm (down -t)
  const std::atomic<bool>* cancel = nullptr;  // set by a signal handler: stop scheduling
  // build area: images
  podman::BuildFlags build;           // qpod build --no-cache, --pull, --build-arg
  podman::LineSink build_output;      // each line of `podman build`, when set (qpod build)
  bool quiet_pull = false;            // qpod pull -q
  bool ignore_pull_failures = false;  // a failed pull is a warning
  std::optional<compose::Duration> wait_timeout;  // up --wait-timeout: for every wait action
  // Provider variables (service -> KEY -> VALUE): in, those of providers that ran before (the
  // containers get them); out, those this run's providers hand over. Null: the run's own.
  std::map<std::string, compose::StringMap>* provided = nullptr;
};

struct ExecFailure {
  int action = -1;
  std::string service;  // or the pod/volume/network name
  std::string message;  // what failed and podman's stderr
};

struct ExecResult {
  std::vector<ExecFailure> failures;
  bool cancelled = false;
  int ran = 0;  // actions that completed
  bool ok() const { return failures.empty() && !cancelled; }
};

ExecResult execute(const Plan& plan, const compose::Project& p, podman::Runtime& rt,
                   Progress& progress, const ExecOptions& o = {});

}  // namespace qpod::engine
