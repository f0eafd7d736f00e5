#include "cli/context.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "compose/paths.h"
#include "env/input.h"

namespace qpod::cli {

bool no_color() {
  const char* v = std::getenv("NO_COLOR");
  return v != nullptr && *v != '\0';
}

bool Context::read_stdin_file() {
  if (load.stdin_text || std::find(load.files.begin(), load.files.end(), "-") == load.files.end())
    return true;
  auto text = compose::read_input_stream(STDIN_FILENO, compose::kStdinFile, "stdin");
  if (!text) {
    std::cerr << format(text.errors());
    exit_code = 1;
    return false;
  }
  load.stdin_text = std::move(text).value();
  return true;
}

std::optional<compose::Project> Context::load_project() {
  if (!read_stdin_file()) return std::nullopt;
  env::prepare_load(load);  // in a git repository: its root, and its QPOD template as the input
  auto project = compose::load_project(load);
  if (!project) {
    std::cerr << format(project.errors());
    exit_code = 1;
    return std::nullopt;
  }
  if (!project->warnings.empty()) std::cerr << format(project->warnings);
  auto g = graph::ServiceGraph::build(*project);
  if (!g) {
    std::cerr << format(g.errors());
    exit_code = 1;
    return std::nullopt;
  }
  graph = std::move(g).value();
  return std::move(project).value();
}

}  // namespace qpod::cli
