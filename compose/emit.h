#pragma once
// Node trees out: YAML text, JSON (nlohmann), and back from JSON. Scalars print as the type they
// resolve to; a string that would read back as another type is quoted.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "compose/tree.h"

namespace qpod::compose {

std::string to_yaml(const Node& n);
nlohmann::ordered_json to_json(const Node& n);  // keeps key order; !reset nodes are left out
nlohmann::json to_plain_json(const Node& n);    // the same values, keys sorted (for valijson)
std::string to_json_text(const Node& n, int indent = 2);
Node from_json(const nlohmann::ordered_json& j);

}  // namespace qpod::compose
