#pragma once
// Stage 5: `extends` (same file or another file) and `include`.
#include <functional>
#include <string>

#include "base/result.h"
#include "compose/tree.h"

namespace qpod::compose {

// Loads another file for extends: parsed, interpolated and schema-checked.
using FileLoader = std::function<Result<Node>(const std::string& path)>;

// Replaces each service's `extends` by the merged result; relative paths of a service taken from
// another file are made relative to that file's folder. Cycles are errors.
Diagnostics resolve_extends(Node& root, const std::string& base_dir, const FileLoader& load);

}  // namespace qpod::compose
