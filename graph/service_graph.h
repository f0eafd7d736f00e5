#pragma once
// The dependency DAG of a project's active services (Boost.Graph inside the .cpp): edges from
// depends_on, links, volumes_from ("svc", "svc:ro"; not "container:NAME") and
// network_mode: service:X. Orders are computed once, in build().
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace qpod::graph {

class ServiceGraph {
 public:
  // Fails with every reference to a service that is not active (a depends_on entry with
  // `required: false` is skipped instead), or with one cycle, printed in dependency order from
  // its alphabetically first service: "dependency cycle: a -> b -> c -> a", at the position of
  // that service's entry for the next one.
  static Result<ServiceGraph> build(const compose::Project& project);

  const std::vector<std::string>& services() const { return names_; }  // sorted
  // Direct dependencies (what `name` needs) and dependants (what needs `name`); empty for an
  // unknown name.
  const std::set<std::string>& dependencies(const std::string& name) const;
  const std::set<std::string>& dependants(const std::string& name) const;

  // Dependencies first; among services that are ready at the same time, by name.
  std::vector<std::string> topological_order() const { return order_; }
  // Level k holds the services whose dependencies are all in levels < k, sorted; each level may
  // start in parallel.
  std::vector<std::vector<std::string>> start_levels() const { return levels_; }
  // Dependants first; among services that may stop at the same time, by name.
  std::vector<std::string> stop_order() const { return stop_order_; }

  // `selected` with everything they need (or, with_deps = false, just the selection). Names that
  // are not services are left out; select_checked reports them instead.
  std::set<std::string> select(const std::vector<std::string>& selected, bool with_deps) const;
  Result<std::set<std::string>> select_checked(const std::vector<std::string>& selected,
                                               bool with_deps) const;
  // `selected` with everything that needs them (for restart/recreate of dependants).
  std::set<std::string> with_dependants(const std::set<std::string>& selected) const;

 private:
  std::vector<std::string> names_;
  std::set<std::string> disabled_;  // services whose profiles are not selected, for messages
  std::map<std::string, std::set<std::string>> deps_, rdeps_;
  std::vector<std::string> order_, stop_order_;
  std::vector<std::vector<std::string>> levels_;
};

}  // namespace qpod::graph
