#pragma once
// Stage 0: which files, which project directory, which project name.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/environment.h"

namespace qpod::compose {

struct LoadOptions;

struct Discovered {
  std::vector<std::string> files;  // absolute, in load order ("-" for stdin)
  std::string project_dir;         // absolute
  Environment env;                 // .env/--env-file under the process environment
};

Result<Discovered> discover(const LoadOptions& opts);

// As docker compose: lower case, only [a-z0-9_-], starting with a letter or digit.
std::string normalize_project_name(std::string_view name);

}  // namespace qpod::compose
