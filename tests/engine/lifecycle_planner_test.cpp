// start / stop / restart plans: existing containers only, in dependency order.
#include <catch2/catch.hpp>

#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Project chain() {
  auto p = project("demo", {service("db"), service("api"), service("web")});
  depends(p, "api", "db", "service_healthy");
  depends(p, "web", "api");
  return p;
}

Observed observed(const compose::Project& p, const std::string& state) {
  Observed o;
  o.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  for (const auto& name : {"db", "api", "web"}) o.containers.push_back(container(p, name, state));
  return o;
}

}  // namespace

TEST_CASE("start: stopped containers in dependency order, gated by conditions",
          "[engine][planner]") {
  auto p = chain();
  auto plan = plan_start(p, graph_of(p), observed(p, "exited"), {});
  CHECK(to_string(plan) == R"(#1 start db (exited)
#2 wait-healthy db after #1
#3 start api (exited) after #2
#4 start web (exited) after #3
)");
  CHECK(plan_start(p, graph_of(p), observed(p, "running"), {}).empty());
  LifecycleOptions only_web;
  only_web.services = {"web"};
  CHECK(to_string(plan_start(p, graph_of(p), observed(p, "exited"), only_web)) ==
        "#1 start web (exited)\n");
}

TEST_CASE("stop: running containers, dependants first", "[engine][planner]") {
  auto p = chain();
  CHECK(to_string(plan_stop(p, graph_of(p), observed(p, "running"), {})) == R"(#1 stop web
#2 stop api after #1
#3 stop db after #2
)");
  CHECK(plan_stop(p, graph_of(p), observed(p, "exited"), {}).empty());
}

TEST_CASE("restart: every selected container, in order, missing ones are reported",
          "[engine][planner]") {
  auto p = chain();
  LifecycleOptions o;
  o.services = {"db", "web"};
  CHECK(to_string(plan_restart(p, graph_of(p), observed(p, "running"), o)) ==
        "#1 restart db (running)\n#2 restart web (running)\n");
  Observed partial = observed(p, "running");
  partial.containers.pop_back();  // no web container
  CHECK(missing_containers(p, partial, o) == std::vector<std::string>{"web"});
  CHECK(missing_containers(p, observed(p, "running"), o).empty());
}
