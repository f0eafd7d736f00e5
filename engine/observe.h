#pragma once
// What exists now: the project's containers, pod, volumes and networks, found by label.
// One `podman ps -a` and one `podman pod ps`, run concurrently; `volume ls` and `network ls`
// only when asked for.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "podman/runtime.h"

namespace qpod::engine {

// A host port published on the pod ("tcp", 8080; ip empty = every address).
struct HostPort {
  std::string ip;
  int port = 0;
  std::string protocol;
};

struct ObservedContainer {
  std::string id, name, service, state, status, hash, image, pod_id;
  std::string image_id;       // the image the container was created from (images inspects it)
  std::string provided_hash;  // of the variables provider services handed it (none: empty)
  std::vector<std::string> command;
  std::string ports;                         // "0.0.0.0:8080->80/tcp, ..."
  std::vector<HostPort> host_ports;          // the same, one entry per host port
  std::int64_t created = 0, started_at = 0;  // unix seconds
  int exit_code = 0;
  int number = 1;  // which of its service's containers (com.docker.compose.container-number)
  bool oneoff = false;
  bool running() const { return state == "running"; }
};

struct ObservedPod {
  std::string id, name, status, hash;
  // Default-initialized, so ObservedPod{id, name, status, hash} still says everything.
  std::vector<HostPort> ports{};  // what its infra container publishes (holds while it runs)
  std::vector<std::pair<std::string, std::string>> members{};  // (id, name), the infra excepted
};

struct Observed {
  std::optional<ObservedPod> pod;
  std::vector<ObservedContainer> containers;  // qpod's service containers (not the pod's infra)
  // Containers qpod did not create: the project label without qpod's others (service and config
  // hash) or in another pod, and unlabelled ones someone put in the project's pod. Left alone,
  // named in warnings; see made_by_qpod.
  std::vector<ObservedContainer> foreign;
  std::set<std::string> volumes, networks;                  // all on the host (names are global)
  std::set<std::string> project_volumes, project_networks;  // those with the project's label
  // Those of ObserveOptions::images that exist here; nullopt = not observed (taken as present).
  std::optional<std::set<std::string>> images;
  // The service's container of that number, or (0) its lowest-numbered one; oneoffs excluded.
  const ObservedContainer* find(const std::string& service, int number = 0) const;
  std::vector<const ObservedContainer*> all_of(const std::string& service) const;  // by number
};

struct ObserveOptions {
  bool volumes = false, networks = false;
  std::vector<std::string> images;  // which of these exist (`podman image exists` each)
};

Result<Observed> observe(podman::Runtime& rt, const std::string& project,
                         const ObserveOptions& o = {});

// Whether qpod created `c` (one with the project label): it carries qpod's service and
// config-hash labels, which every container qpod creates has, and it is in the project's pod
// or in no pod (a pod that is gone: podman never moves a container into another pod).
bool made_by_qpod(const ObservedContainer& c, const std::optional<ObservedPod>& pod);
// The labels half of that (qpod's service and config-hash labels), for callers that do not
// observe the pod (logs).
bool has_qpod_labels(const ObservedContainer& c);
// Moves what qpod did not create from obs.containers to obs.foreign, and adds the pod's
// unlabelled members there too.
void split_foreign(Observed& obs);

// The parsers, apart for tests: podman's JSON output into the Observed parts. `infra`, when
// given, receives the pods' infra containers (skipped otherwise).
Result<std::vector<ObservedContainer>> parse_ps(const std::string& json,
                                                std::vector<ObservedContainer>* infra = nullptr);
Result<std::optional<ObservedPod>> parse_pod_ps(const std::string& json, const std::string& name);
// `volume ls`/`network ls` output: every name into `all`, the project's into `labelled`.
Diagnostics parse_names(const std::string& json, const std::string& project,
                        std::set<std::string>& all, std::set<std::string>& labelled);

}  // namespace qpod::engine
