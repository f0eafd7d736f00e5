#pragma once
// The container ports a service publishes, as a label on each of its containers
// (labels::kPorts): ports live on the pod, so `ps` needs it to give each row its own service's
// ports when it knows the project by name only (`ps -p NAME`, no Compose file).
// "80/tcp,9000-9002/udp": each target port and protocol, consecutive targets as a range.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compose/model.h"

namespace qpod::podman {

// The label's value for `ports` (sorted, each (target, protocol) once); empty for none.
std::string port_label(const std::vector<compose::Port>& ports);

// The (target, protocol) pairs of a label's value. Words that are not "N/proto" or
// "N-M/proto" (1 <= N <= M <= 65535) are skipped.
std::set<std::pair<int, std::string>> parse_port_label(const std::string& value);

}  // namespace qpod::podman
