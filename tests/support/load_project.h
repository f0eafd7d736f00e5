#pragma once
// A compose project loaded as `qpod` loads it, with its dependency graph: the set-up of the
// generator tests (kube, systemd). A load or graph error fails the test with its diagnostics.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "compose/loader.h"
#include "graph/service_graph.h"
#include "tests/support/temp_dir.h"

namespace qpod::testing {

struct LoadedProject {
  compose::Project project;
  graph::ServiceGraph graph;
};

// `file` with `dir` as project and working directory, no process environment; `name` empty:
// the project's name comes from the file or the folder.
inline LoadedProject load_project_file(const std::string& file, const std::string& dir,
                                       const std::string& name = "",
                                       std::vector<std::string> profiles = {}) {
  compose::LoadOptions lo;
  lo.files = {file};
  lo.project_directory = dir;
  lo.working_dir = dir;
  lo.project_name = name;
  lo.profiles = std::move(profiles);
  lo.process_env = compose::Variables{};
  auto p = compose::load_project(lo);
  if (!p) FAIL(qpod::format(p.errors()));
  auto g = graph::ServiceGraph::build(*p);
  if (!g) FAIL(qpod::format(g.errors()));
  return {*p, *g};
}

// `yaml` written to dir/compose.yaml and loaded as project `name`.
inline LoadedProject load_project_yaml(const TempDir& dir, const std::string& yaml,
                                       const std::string& name) {
  return load_project_file(dir.write("compose.yaml", yaml), dir.str(), name);
}

// The names of all services of `p` (what `kube generate` takes without a service argument).
inline std::set<std::string> service_names(const compose::Project& p) {
  std::set<std::string> out;
  for (const auto& [n, s] : p.services) out.insert(n);
  return out;
}

}  // namespace qpod::testing
