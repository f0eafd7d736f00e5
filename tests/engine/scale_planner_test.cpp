// scale / deploy.replicas / up --scale: N containers P-S-1..N in the pod; scaling down removes
// the highest numbers; a published host port or a container_name refuses more than one.
#include <catch2/catch.hpp>
#include <sstream>

#include "base/text.h"
#include "engine/executor.h"
#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

Observed with_pod(const compose::Project& p, std::vector<ObservedContainer> cs = {}) {
  Observed o;
  o.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  for (auto& c : cs) c.pod_id = "podid";
  o.containers = std::move(cs);
  return o;
}

// The `number`th container of `service`, as up would have left it.
ObservedContainer replica(const compose::Project& p, const std::string& service, int number) {
  ObservedContainer c = container(p, service);
  c.name = p.name + "-" + service + "-" + std::to_string(number);
  c.id += "-" + std::to_string(number);
  c.number = number;
  return c;
}

std::string plan_text(const compose::Project& p, const Observed& obs, const UpOptions& o = {}) {
  Plan plan = plan_up(p, graph_of(p), obs, o);
  std::vector<std::string> errors;
  for (const auto& e : plan.errors) errors.push_back(format(e));
  return to_string(plan) + join(errors, "\n");
}

}  // namespace

TEST_CASE("scale: three containers, one after the other, and a dependant after all",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("web"), service("proxy")});
  p.services.at("web").scale = 3;
  depends(p, "proxy", "web");
  REQUIRE_REAL_GRAPH(p, "proxy", "web");
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
#3 run web-2 (not found) after #1 #2
#4 run web-3 (not found) after #1 #3
#5 run proxy (not found) after #1 #4
)");
}

TEST_CASE("scale: up --scale over scale, up and down from what runs", "[engine][planner][scale]") {
  auto p = project("demo", {service("web")});
  p.services.at("web").scale = 2;
  auto obs = with_pod(p, {replica(p, "web", 1), replica(p, "web", 2)});
  CHECK(plan_text(p, obs).empty());  // two wanted, two running

  UpOptions three;
  three.scale = {{"web", 3}};
  CHECK(plan_text(p, obs, three) == "#1 run web-3 (not found)\n");

  UpOptions one;
  one.scale = {{"web", 1}};
  CHECK(plan_text(p, obs, one) == "#1 remove web-2 (scaled down)\n");

  UpOptions none;
  none.scale = {{"web", 0}};
  CHECK(plan_text(p, obs, none) == "#1 remove web (scaled down)\n#2 remove web-2 (scaled down)\n");

  UpOptions unknown;
  unknown.scale = {{"api", 2}};
  CHECK(plan_text(p, obs, unknown) == "--scale api: no such service");
}

TEST_CASE("scale: waits are for every container of a dependency", "[engine][planner][scale]") {
  auto p = project("demo", {service("db"), service("web")});
  p.services.at("db").scale = 2;
  p.services.at("db").healthcheck =
      compose::Healthcheck{{"CMD", "true"}, {}, {}, {}, {}, {}, false};
  depends(p, "web", "db", "service_healthy");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run db-2 (not found) after #1 #2
#4 wait-healthy db after #3
#5 wait-healthy db-2 after #3 #4
#6 create web (not found) after #1
#7 start web (created) after #5 #6
)");
}

TEST_CASE("scale: a published host port or a container_name is refused, with its position",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("web")});
  compose::Port port;
  port.published = "8080";
  port.target = 80;
  p.services.at("web").ports = {port};
  p.services.at("web").scale = 2;
  CHECK(plan_text(p, {}) ==
        "services.web.ports[0]: service web cannot run 2 containers: they share the pod's "
        "network, where host port 8080/tcp is published once; remove the host port, or run one "
        "container");
  p.services.at("web").ports.front().published.clear();  // a random host port: one, on the pod
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
#3 run web-2 (not found) after #1 #2
)");
  p.services.at("web").container_name = "the-web";
  CHECK(plan_text(p, {}) ==
        "service web sets container_name the-web, so it cannot run 2 containers");
}

TEST_CASE("scale: each container gets its name and number, stop reaches every one",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("web")});
  auto argv = podman::join_argv(podman::container_run(p, p.services.at("web"), 3));
  CHECK(argv.find(" --name demo-web-3 ") != std::string::npos);
  CHECK(argv.find(" --label com.docker.compose.container-number=3 ") != std::string::npos);

  auto obs = with_pod(p, {replica(p, "web", 1), replica(p, "web", 2)});
  CHECK(to_string(plan_stop(p, graph_of(p), obs, {})) == "#1 stop web\n#2 stop web-2\n");

  FakeRuntime rt;
  std::ostringstream out, err;
  StreamProgress progress(out, err);
  UpOptions three;
  three.scale = {{"web", 3}};
  auto r = execute(plan_up(p, graph_of(p), obs, three), p, rt, progress);
  REQUIRE(r.ok());
  REQUIRE(rt.calls().size() == 1);
  CHECK(rt.calls()[0].rfind("run --detach --name demo-web-3 ", 0) == 0);
}
