#pragma once
// Before `up` creates the pod: every host port it would publish must be free. Podman publishes
// them when the pod's infra container starts, so a port something else holds would fail there,
// blamed on the first container started, with the pod half-made. A bind and a close per port
// (microseconds, no podman call) finds it first, at the port's entry in the file.
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "compose/model.h"
#include "engine/observe.h"

namespace qpod::engine {

// One error per published host port (tcp/udp) that cannot be bound, at its file:line:col:
// "services.web.ports[0]: service web: port 8080/tcp is already in use". `held`: ports the
// project's existing pod publishes (it is removed before the new one is created).
Diagnostics check_host_ports(const compose::Project& p, const std::vector<HostPort>& held);

// 0 if `port` can be bound on `ip` ("" = every address; IPv4 or IPv6) for `protocol`
// ("tcp" or "udp"); else the errno. The socket is closed again at once.
int probe_port(const std::string& ip, int port, const std::string& protocol);

}  // namespace qpod::engine
