#include "compose/profiles.h"

namespace qpod::compose {

// STUB: replaced by profile selection.
Diagnostics apply_profiles(Node&, const std::vector<std::string>&, Node&) { return {}; }

}  // namespace qpod::compose
