#pragma once
// What exists now: the project's containers, pod, volumes and networks, found by label.
// One `podman ps -a` and one `podman pod ps`, run concurrently; `volume ls` and `network ls`
// only when asked for.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/runtime.h"

namespace qpod::engine {

struct ObservedContainer {
  std::string id, name, service, state, status, hash, image, pod_id;
  std::string image_id;  // the image the container was created from (images inspects it)
  std::vector<std::string> command;
  std::string ports;                         // "0.0.0.0:8080->80/tcp, ..."
  std::int64_t created = 0, started_at = 0;  // unix seconds
  int exit_code = 0;
  bool oneoff = false;
  bool running() const { return state == "running"; }
};

struct ObservedPod {
  std::string id, name, status, hash;
};

struct Observed {
  std::optional<ObservedPod> pod;
  std::vector<ObservedContainer> containers;  // service containers (not the pod's infra)
  std::set<std::string> volumes, networks;    // all on the host (names are global)
  std::set<std::string> project_volumes, project_networks;  // those with the project's label
  // Those of ObserveOptions::images that exist here; nullopt = not observed (taken as present).
  std::optional<std::set<std::string>> images;
  const ObservedContainer* find(const std::string& service) const;  // oneoff ones excluded
};

struct ObserveOptions {
  bool volumes = false, networks = false;
  std::vector<std::string> images;  // which of these exist (`podman image exists` each)
};

Result<Observed> observe(Runtime& rt, const std::string& project, const ObserveOptions& o = {});

// The parsers, apart for tests: podman's JSON output into the Observed parts.
Result<std::vector<ObservedContainer>> parse_ps(const std::string& json);
Result<std::optional<ObservedPod>> parse_pod_ps(const std::string& json, const std::string& name);
// `volume ls`/`network ls` output: every name into `all`, the project's into `labelled`.
Diagnostics parse_names(const std::string& json, const std::string& project,
                        std::set<std::string>& all, std::set<std::string>& labelled);

}  // namespace qpod::engine
