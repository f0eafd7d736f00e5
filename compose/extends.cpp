#include "compose/extends.h"

namespace qpod::compose {

// STUB: replaced by extends resolution.
Diagnostics resolve_extends(Node&, const std::string&, const FileLoader&) { return {}; }

}  // namespace qpod::compose
