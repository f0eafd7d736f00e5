#pragma once
// top / port / images / ls / wait: they read the project's containers (and wait for them);
// only `wait --down-project` changes anything. Output as docker compose prints it; errors go
// to `err` with docker compose's wording, and each returns the exit code.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/operations.h"
#include "podman/runtime.h"

namespace qpod::engine {

// Per running container (sorted by name): its name, podman top's table, a blank line.
int top(const compose::Project& p, podman::Runtime& rt, const std::vector<std::string>& services,
        std::ostream& out, std::ostream& err);

struct PortOptions {
  std::string service;
  std::uint32_t target = 0;
  std::string protocol = "tcp";
  int index = 0;  // container number; qpod runs one container per service
};
// Prints "0.0.0.0:8080": where the pod publishes the service's target port.
int port(const compose::Project& p, podman::Runtime& rt, const PortOptions& o, std::ostream& out,
         std::ostream& err);

struct ImagesOptions {
  std::vector<std::string> services;  // empty = all
  std::string format = "table";       // table | json
  bool quiet = false;                 // image IDs only
};
int images(const compose::Project& p, podman::Runtime& rt, const ImagesOptions& o,
           std::ostream& out, std::ostream& err);

struct LsOptions {
  bool all = false;  // also projects with no running container
  bool quiet = false;
  std::string format = "table";
  std::vector<std::string> filters;  // "name=REGEX" (the only filter docker compose accepts)
};
// Every project on this host, from the io.qpod.project labels (no compose file needed).
int ls(podman::Runtime& rt, const LsOptions& o, std::ostream& out, std::ostream& err);

struct WaitOptions {
  std::vector<std::string> services;
  bool down_project = false;  // `down` the project as soon as the first container stops
};
// Blocks until the services' containers stop; prints `container "NAME" exited with status code
// N` for each and returns the code of the last one to stop. Containers that already stopped
// count at once (docker compose only waits for running ones and fails when there are none).
int wait(const compose::Project& p, podman::Runtime& rt, Progress& progress, const WaitOptions& o,
         const RunOptions& run, std::ostream& out, std::ostream& err);

}  // namespace qpod::engine
