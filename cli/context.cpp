#include "cli/context.h"

#include <cstdlib>
#include <iostream>

#include "env/input.h"

namespace qpod::cli {

bool no_color() {
  const char* v = std::getenv("NO_COLOR");
  return v != nullptr && *v != '\0';
}

std::optional<compose::Project> Context::load_project() {
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
