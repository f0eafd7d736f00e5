#pragma once
// kill / pause / unpause / rm: one podman call per selected container, as docker compose does
// them (all at once, no dependency order; rm --stop stops in reverse dependency order first).
// Pure plans apart from the operations, so tests compare to_string(plan).
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/observe.h"
#include "engine/operations.h"
#include "engine/plan.h"
#include "graph/service_graph.h"

namespace qpod::engine {

struct KillOptions {
  std::vector<std::string> services;  // empty = all
  std::string signal = "SIGKILL";
  bool remove_orphans = false;  // also kill containers of services no longer in the project
};

struct RmOptions {
  std::vector<std::string> services;  // empty = all
  bool stop = false;                  // stop running containers first (else they are kept)
  bool volumes = false;               // also their anonymous volumes
  std::optional<int> timeout_s;       // for --stop
};

// Running (or paused) containers of the selected services; one-off ones too, as docker does.
Plan plan_kill(const compose::Project& p, const Observed& obs, const KillOptions& o);
// Running containers to pause; paused ones to unpause (one-off containers are left alone).
Plan plan_pause(const compose::Project& p, const Observed& obs,
                const std::vector<std::string>& services);
Plan plan_unpause(const compose::Project& p, const Observed& obs,
                  const std::vector<std::string>& services);
// Stopped containers of the selected services (with --stop, running ones after their stop).
Plan plan_rm(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
             const RmOptions& o);
// The containers a plan removes, sorted: "Going to remove " + join(names, ", ").
std::vector<std::string> removed_containers(const Plan& plan);

// Asked before rm removes anything (not with -f): the message, then yes or no.
using Confirm = std::function<bool(const std::string& message)>;
// An answer to that question: y, yes, and Go's ParseBool trues (1, t, true), in any case.
bool is_yes(std::string answer);

// The exit code (0, or 1 with the failure on `progress`); `info` gets "no container to kill".
int kill(const compose::Project& p, podman::Runtime& rt, Progress& progress, const KillOptions& o,
         const RunOptions& run, std::ostream& out, std::ostream& info);
int pause(const compose::Project& p, podman::Runtime& rt, Progress& progress,
          const std::vector<std::string>& services, const RunOptions& run, std::ostream& out);
int unpause(const compose::Project& p, podman::Runtime& rt, Progress& progress,
            const std::vector<std::string>& services, const RunOptions& run, std::ostream& out);
int rm(const compose::Project& p, podman::Runtime& rt, Progress& progress, const RmOptions& o,
       const Confirm& confirm, const RunOptions& run, std::ostream& out, std::ostream& info);

}  // namespace qpod::engine
