#pragma once
// Stage 7: every short syntax to its long form, relative paths made absolute, env_file read
// into environment, resource names filled in. The result is what `config` prints.
#include <string>

#include "base/diagnostic.h"
#include "compose/tree.h"
#include "compose/variables.h"

namespace qpod::compose {

struct NormalizeContext {
  std::string project_name;
  std::string project_dir;  // absolute
  const Variables* env = nullptr;
  bool resolve_paths = true;
};

Diagnostics normalize(Node& root, const NormalizeContext& ctx);
// Only relative paths of one service (build context, bind sources, env_file...), made absolute
// against `base_dir`; for extends and include, before their services join another file.
void resolve_service_paths(Node& service, const std::string& base_dir);

}  // namespace qpod::compose
