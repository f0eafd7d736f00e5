#pragma once
// Stage 8: what a schema cannot say: references (depends_on, networks, volumes, secrets,
// configs, volumes_from, links, network_mode: service:X), service names, values.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "base/diagnostic.h"
#include "compose/tree.h"

namespace qpod::compose {

// `root` is normalized; `disabled` holds services whose profiles are not selected.
Diagnostics validate_project(const Node& root, const Node& disabled);

// qpod runs a project in one pod, so its services share ports: a host port published twice, or
// two services with the same container port, cannot run. Valid Compose all the same, so this is
// checked by the engine before it creates anything, not by loading (`config` must accept it).
Diagnostics validate_pod(const Node& root);

// A published port: "8080" or "8080-8081", each 1..65535; nullopt when it is neither.
std::optional<std::pair<std::uint32_t, std::uint32_t>> parse_port_range(std::string_view s);

}  // namespace qpod::compose
