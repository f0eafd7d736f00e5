#pragma once
// qpod ps, the pure part: podman's `ps --format json` in, docker compose's rows out (its STATUS
// wording, PORTS column and `--format json` fields). Ports live on the pod in qpod, so podman
// shows the pod's ports on every member: each row keeps only its own service's.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace qpod::engine {

struct PsPublisher {  // docker compose's api.PortPublisher
  std::string url;    // the host address ("0.0.0.0" for every address)
  int target = 0, published = 0;
  std::string protocol;
  bool operator==(const PsPublisher&) const = default;
};

struct PsRow {
  std::string id, name, image, command, project, service, state, pod_id;
  std::string
      hash;  // the config-hash label (podman::labels::has_qpod_labels tells qpod's from others')
  std::string health;  // "", "starting", "healthy", "unhealthy" (podman's, refreshed by ps_health)
  std::vector<std::string> names, mounts, networks;
  std::map<std::string, std::string> labels;
  std::int64_t created = 0, started_at = 0, exited_at = 0;  // unix seconds, 0 = never
  int exit_code = 0;
  bool oneoff = false;
  std::vector<PsPublisher> publishers;  // what the pod publishes, until keep_own_ports
};

// Each member of the project's pod (the infra container skipped; its networks are the pod's).
Result<std::vector<PsRow>> parse_ps_rows(const std::string& podman_ps_json);

// (target port, protocol) pairs a service's `ports:` publish.
using PortTargets = std::set<std::pair<int, std::string>>;
// Keeps on each row the pod ports its service publishes: those of its container's
// podman::labels::kPorts, else (a container without it) `by_service`'s; a container that is not
// running (or paused) publishes none, like docker's.
void keep_own_ports(std::vector<PsRow>& rows, const std::map<std::string, PortTargets>& by_service);

// go-units HumanDuration: "Less than a second", "1 second", "About a minute", "3 hours"...
std::string human_duration(std::int64_t seconds);
// docker's container status: "Up 2 seconds (healthy)", "Up 5 minutes (health: starting)",
// "Up 1 second (Paused)", "Exited (1) 3 seconds ago", "Created", "Restarting (1) ...", "Dead".
std::string docker_status(const PsRow& row, std::int64_t now);
// docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 0.0.0.0:9000-9001->9000-9001/udp".
std::string displayable_ports(std::vector<PsPublisher> ports);
// strconv.Quote of the command, ellipsized to 20 characters ("…") when trunc.
std::string quoted_command(const std::string& command, bool trunc);

// NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS
std::string ps_table(const std::vector<PsRow>& rows, std::int64_t now);
// docker compose's `ps --format json`: one object per line, its keys in Go's (sorted) order.
std::string ps_json(const std::vector<PsRow>& rows, std::int64_t now, bool trunc);

}  // namespace qpod::engine
