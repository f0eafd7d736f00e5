#pragma once
// Pieces of cluster mode (kube/cluster.cpp), apart so that tests can reach them.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "compose/model.h"
#include "kube/generate.h"

namespace qpod::kube {

// The image of the initContainers that wait for a service_healthy dependency, unless
// --wait-image or the top-level `x-kube: {wait-image: IMAGE}` names another. It needs `sh`,
// `nc` with -w and -e (busybox's; its `nc -z` is often left out) and `sleep`.
inline constexpr const char* kDefaultWaitImage = "docker.io/library/busybox:1.36";
// What the wait container runs (`sh -c`), with QPOD_WAIT_HOST and QPOD_WAIT_PORT from its env:
// `nc HOST PORT -e true` connects, runs `true` and ends (0); a refused or timed-out connection
// is 1 (-e takes the rest of the line, so it comes last).
inline constexpr const char* kWaitScript =
    "until nc -w 2 \"$QPOD_WAIT_HOST\" \"$QPOD_WAIT_PORT\" -e true; do "
    "echo \"waiting for $QPOD_WAIT_HOST:$QPOD_WAIT_PORT\"; sleep 2; done";

// A Kubernetes Service name: a DNS-1035 label ([a-z][a-z0-9-]*, alphanumeric end, 63 at most).
bool dns1035_label(const std::string& name);
std::string wait_image(const compose::Project& p, const KubeOptions& opts);
// A service's Service ports from `ports` and `expose`: (container port, TCP/UDP/SCTP) → its
// app_protocol (or empty); an expose range is passed to `warn`.
using ServicePorts = std::map<std::pair<std::uint32_t, std::string>, std::string>;
ServicePorts service_ports(const compose::Service& s,
                           const std::function<void(const std::string&)>& warn);
// The init container that waits until host:port takes a TCP connection.
compose::Node wait_container(const std::string& name, const std::string& image,
                             const std::string& host, std::uint32_t port);
// The selected services that run as Jobs: waited for with service_completed_successfully by a
// selected dependant, and not restarted by their own policy (restart always/unless-stopped).
std::set<std::string> job_services(const compose::Project& p,
                                   const std::set<std::string>& selected);

}  // namespace qpod::kube
