#pragma once
// Stage 0: which files, which project directory, which environment and profiles.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/variables.h"

namespace qpod::compose {

struct LoadOptions;

struct Discovered {
  std::vector<std::string> files;     // absolute, in load order
  std::string project_dir;            // absolute
  Variables env;                      // .env/--env-file under the process environment
  std::vector<std::string> profiles;  // --profile, else COMPOSE_PROFILES
  Diagnostics warnings;               // e.g. several candidate files in one folder
};

// Files: -f (relative to the working directory), else COMPOSE_FILE (split on
// COMPOSE_PATH_SEPARATOR, default ":"), else compose.yaml, compose.yml, docker-compose.yaml or
// docker-compose.yml in the working (or project) directory or its nearest parent, with the
// override file beside it. Environment: --env-file files, else `.env` in the project directory;
// the process environment wins.
Result<Discovered> discover(const LoadOptions& opts);

// As docker compose: lower case, only [a-z0-9_-], starting with a letter or digit.
std::string normalize_project_name(std::string_view name);

}  // namespace qpod::compose
