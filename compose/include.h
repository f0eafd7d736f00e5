#pragma once
// Stage 5b: `include` — each entry loads as a project of its own (own project directory and
// env files), and its services, networks, volumes, secrets and configs join this one.
// A name defined twice is an error.
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/tree.h"

namespace qpod::compose {

struct IncludeRequest {
  std::vector<std::string> files;  // absolute
  std::string project_directory;   // absolute
  std::vector<std::string> env_files;
};
// Loads an included project to a normalized tree (relative paths already absolute).
using IncludeLoader = std::function<Result<Node>(const IncludeRequest&)>;

Diagnostics resolve_includes(Node& root, const std::string& base_dir, const IncludeLoader& load);

}  // namespace qpod::compose
