#pragma once
// The engine's commands: observe → plan → execute, with the options of `up` and `down`.
#include <atomic>
#include <iosfwd>
#include <map>
#include <optional>

#include "compose/model.h"
#include "engine/apply.h"
#include "engine/images.h"
#include "engine/planner.h"
#include "engine/progress.h"
#include "podman/podman_argv.h"
#include "podman/runtime.h"

namespace qpod::engine {

// qpod build / qpod pull.
struct BuildOptions {
  std::vector<std::string> services;  // empty = all
  podman::BuildFlags flags;
  podman::LineSink output;  // podman build's output lines
};
struct PullOptions {
  std::vector<std::string> services;  // empty = all
  bool quiet = false, ignore_failures = false;
};

// Each returns the exit code: 0, or 1 with the failures reported on `progress`.
// up: the provider services that wait for no container run first, then the rest is planned
// with their variables known. `provided`, when given, receives every provider's variables
// (service -> KEY -> VALUE), for `run`'s one-off container.
int up(const compose::Project& p, podman::Runtime& rt, Progress& progress, const UpOptions& o,
       const RunOptions& run, std::ostream& plan_out,
       std::map<std::string, compose::StringMap>* provided = nullptr);
int down(const compose::Project& p, podman::Runtime& rt, Progress& progress, const DownOptions& o,
         const RunOptions& run, std::ostream& plan_out);

int build(const compose::Project& p, podman::Runtime& rt, Progress& progress, const BuildOptions& o,
          const RunOptions& run, std::ostream& plan_out);
int pull(const compose::Project& p, podman::Runtime& rt, Progress& progress, const PullOptions& o,
         const RunOptions& run, std::ostream& plan_out);

// start / stop / restart the existing containers of o.services (all when empty). start and
// restart fail, creating nothing, when a selected service has no container (run `up`).
int start(const compose::Project& p, podman::Runtime& rt, Progress& progress,
          const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out);
int stop(const compose::Project& p, podman::Runtime& rt, Progress& progress,
         const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out);
int restart(const compose::Project& p, podman::Runtime& rt, Progress& progress,
            const LifecycleOptions& o, const RunOptions& run, std::ostream& plan_out);

}  // namespace qpod::engine
