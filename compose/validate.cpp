#include "compose/validate.h"

namespace qpod::compose {

// STUB: replaced by semantic validation.
Diagnostics validate_project(const Node&, const Node&) { return {}; }

}  // namespace qpod::compose
