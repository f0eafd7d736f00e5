#pragma once
// Stage 3: JSON Schema validation of one file (valijson), errors mapped back to positions.
#include "base/diagnostic.h"
#include "compose/tree.h"

namespace qpod::compose {

enum class Schema { kCompose, kQpodDialect };

Diagnostics validate_schema(const Node& root, Schema which = Schema::kQpodDialect);

}  // namespace qpod::compose
