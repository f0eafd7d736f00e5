#pragma once
// Stage 6: profiles. A service with `profiles` is active only when one of them is selected
// ("*" selects all); the rest move to `disabled`.
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "compose/tree.h"

namespace qpod::compose {

Diagnostics apply_profiles(Node& root, const std::vector<std::string>& profiles, Node& disabled);

}  // namespace qpod::compose
