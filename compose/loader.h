#pragma once
// The whole loading pipeline:
// discover → (per file: parse → interpolate → schema → include → extends) → merge → normalize
// → profiles → validate → bind. Warnings of every stage end up in Project::warnings.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "compose/variables.h"

namespace qpod::compose {

struct LoadOptions {
  std::vector<std::string> files;  // -f, in order; empty = discover
  std::string project_name;        // -p
  std::string project_directory;   // --project-directory
  std::vector<std::string> env_files;
  std::vector<std::string> profiles;
  bool interpolate = true;
  bool resolve_paths = true;
  // `-f -`: the Compose file's text, read from stdin by the caller (read_input_stream); its
  // file is kStdinFile, and the project directory the working one (as docker compose).
  std::optional<std::string> stdin_text;
  std::string working_dir;               // where discovery starts; empty = current directory
  std::optional<Variables> process_env;  // empty = the real process environment
  // A QPOD environment (compose/template.h): a template loaded instead of Compose files (its
  // project directory is git_root), the repository (relative x-qpod mount sources,
  // Project::qpod->git_root), and the project name when -p, COMPOSE_PROJECT_NAME and `name:`
  // give none (else the project directory's name).
  std::string template_file;
  std::string git_root;
  std::string default_name;
};

Result<Project> load_project(const LoadOptions& opts);

}  // namespace qpod::compose
