#pragma once
// The dependency DAG of a project's services (Boost.Graph inside the .cpp): edges from
// depends_on, links, volumes_from and network_mode: service:X.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace qpod::graph {

class ServiceGraph {
 public:
  // Fails with the cycle's path ("a -> b -> c -> a") or an unknown dependency.
  static Result<ServiceGraph> build(const compose::Project& project);

  const std::vector<std::string>& services() const { return names_; }  // sorted
  // Direct dependencies (what `name` needs) and dependants (what needs `name`).
  const std::set<std::string>& dependencies(const std::string& name) const;
  const std::set<std::string>& dependants(const std::string& name) const;

  std::vector<std::string> topological_order() const;  // dependencies first, ties by name
  std::vector<std::vector<std::string>> start_levels() const;  // each level may start in parallel
  std::vector<std::string> stop_order() const;  // dependants first

  // `selected` with everything they need (or, with_deps = false, just the selection).
  std::set<std::string> select(const std::vector<std::string>& selected, bool with_deps) const;
  // `selected` with everything that needs them (for restart/recreate of dependants).
  std::set<std::string> with_dependants(const std::set<std::string>& selected) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, std::set<std::string>> deps_, rdeps_;
};

}  // namespace qpod::graph
