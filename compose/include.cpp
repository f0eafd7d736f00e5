#include "compose/include.h"

namespace qpod::compose {

// STUB: replaced by include resolution.
Diagnostics resolve_includes(Node&, const std::string&, const IncludeLoader&) { return {}; }

}  // namespace qpod::compose
