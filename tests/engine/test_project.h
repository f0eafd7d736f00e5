#pragma once
// Small projects for engine tests, built in code (no loader needed).
#include <string>
#include <vector>

#include "compose/bind.h"
#include "compose/model.h"
#include "engine/observe.h"
#include "graph/service_graph.h"

namespace qpod::engine::testing {

inline compose::Service service(const std::string& name,
                                std::vector<std::string> command = {"sleep", "60"}) {
  compose::Service s;
  s.name = name;
  s.image = "localhost/qpod-busybox:latest";
  s.command = std::move(command);
  return s;
}

inline compose::Project project(const std::string& name, std::vector<compose::Service> services) {
  compose::Project p;
  p.name = name;
  p.working_dir = "/src/" + name;
  p.config_files = {"/src/" + name + "/compose.yaml"};
  for (auto& s : services) p.services.emplace(s.name, std::move(s));
  return p;
}

inline void depends(compose::Project& p, const std::string& from, const std::string& on,
                    const std::string& condition = "service_started") {
  compose::Dependency d;
  d.condition = condition;
  p.services.at(from).depends_on[on] = d;
}

// An observed container of `service`, as up would have left it.
inline ObservedContainer container(const compose::Project& p, const std::string& service,
                                   const std::string& state = "running", std::string hash = "") {
  ObservedContainer c;
  c.name = p.name + "-" + service + "-1";
  c.id = "id-" + service;
  c.service = service;
  c.state = state;
  c.hash = hash.empty() && p.services.count(service) ? compose::service_hash(p.services.at(service))
                                                     : hash;
  return c;
}

inline graph::ServiceGraph graph_of(const compose::Project& p) {
  return graph::ServiceGraph::build(p).value();
}

// The dependency graph must know this edge: a test of ordering fails, never skips, without it.
inline bool graph_has_edges(const compose::Project& p, const std::string& from,
                            const std::string& on) {
  return graph_of(p).dependencies(from).count(on) > 0;
}

}  // namespace qpod::engine::testing

#define REQUIRE_REAL_GRAPH(p, from, on) REQUIRE(qpod::engine::testing::graph_has_edges(p, from, on))
