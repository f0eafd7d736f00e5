#include "compose/normalize.h"

namespace qpod::compose {

// STUB: replaced by normalization.
Diagnostics normalize(Node&, const NormalizeContext&) { return {}; }
void resolve_service_paths(Node&, const std::string&) {}

}  // namespace qpod::compose
