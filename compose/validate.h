#pragma once
// Stage 8: what a schema cannot say: references (depends_on, networks, volumes, secrets,
// configs, volumes_from, links, network_mode: service:X), service names, values.
#include "base/diagnostic.h"
#include "compose/tree.h"

namespace qpod::compose {

// `root` is normalized; `disabled` holds services whose profiles are not selected.
Diagnostics validate_project(const Node& root, const Node& disabled);

}  // namespace qpod::compose
