#include "graph/service_graph.h"

namespace qpod::graph {

// STUB: replaced by the Boost.Graph implementation.
Result<ServiceGraph> ServiceGraph::build(const compose::Project& project) {
  ServiceGraph g;
  for (const auto& [name, s] : project.services) {
    g.names_.push_back(name);
    g.deps_[name];
    g.rdeps_[name];
  }
  return g;
}
const std::set<std::string>& ServiceGraph::dependencies(const std::string& name) const {
  return deps_.at(name);
}
const std::set<std::string>& ServiceGraph::dependants(const std::string& name) const {
  return rdeps_.at(name);
}
std::vector<std::string> ServiceGraph::topological_order() const { return names_; }
std::vector<std::vector<std::string>> ServiceGraph::start_levels() const { return {names_}; }
std::vector<std::string> ServiceGraph::stop_order() const { return names_; }
std::set<std::string> ServiceGraph::select(const std::vector<std::string>& s, bool) const {
  return {s.begin(), s.end()};
}
std::set<std::string> ServiceGraph::with_dependants(const std::set<std::string>& s) const {
  return s;
}

}  // namespace qpod::graph
