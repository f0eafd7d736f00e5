#pragma once
// Stage 2: ${VAR} substitution in every scalar value of a file (keys are left alone).
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/tree.h"
#include "compose/variables.h"

namespace qpod::compose {

// $VAR ${VAR} ${VAR:-d} ${VAR-d} ${VAR:?e} ${VAR?e} ${VAR:+r} ${VAR+r}, nested, $$ -> $.
Result<std::string> interpolate_string(std::string_view text, const Variables& env,
                                       const Mark& mark, const std::string& path);
// All errors of the tree at once. A plain scalar stays plain, so "${N}" can become a number.
Diagnostics interpolate(Node& root, const Variables& env);

}  // namespace qpod::compose
