#include "engine/planner.h"

#include <catch2/catch.hpp>

#include "podman/podman_argv.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

// The pod as up made it, holding `cs` (those with no pod_id yet).
Observed with_pod(const compose::Project& p, std::vector<ObservedContainer> cs = {}) {
  Observed o;
  o.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  for (auto& c : cs)
    if (c.pod_id.empty()) c.pod_id = "podid";
  o.containers = std::move(cs);
  return o;
}

// A container someone else made: `podman run --label io.qpod.project=demo --name NAME ...`.
ObservedContainer foreign(const std::string& name, const std::string& pod_id = "") {
  ObservedContainer c;
  c.id = "id-" + name;
  c.name = name;
  c.state = "running";
  c.pod_id = pod_id;
  return c;
}

bool has(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

std::string plan_text(const compose::Project& p, const Observed& obs, const UpOptions& o = {}) {
  return to_string(plan_up(p, graph_of(p), obs, o));
}

}  // namespace

TEST_CASE("up: nothing exists", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web")});
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run web (not found) after #1
)");
}

TEST_CASE("up: a QPOD template's binary and manual services start only on demand",
          "[engine][planner][qenv]") {
  auto p = project("demo", {service("web"), service("zk"), service("tool"), service("db")});
  p.services.at("zk").qpod = compose::QpodService{"binary", {}};
  p.services.at("tool").qpod = compose::QpodService{"manual", {}};
  p.services.at("db").qpod = compose::QpodService{"manual", {}};
  depends(p, "web", "db");  // an auto service needs a manual one: it comes along
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run web (not found) after #1 #2
)");
  UpOptions named;  // named, they start like any service
  named.services = {"tool", "zk"};
  CHECK(plan_text(p, {}, named) == R"(#1 create-pod (not found)
#2 run tool (not found) after #1
#3 run zk (not found) after #1
)");
}

TEST_CASE("up: everything running with the same configuration is a no-op", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web")});
  auto plan = plan_up(p, graph_of(p), with_pod(p, {container(p, "db"), container(p, "web")}), {});
  CHECK(plan.empty());
  CHECK(plan.warnings.empty());
}

TEST_CASE("up: stopped containers start, changed ones are recreated", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web"), service("cache")});
  auto obs = with_pod(p, {container(p, "db", "exited"), container(p, "web", "running", "stale"),
                          container(p, "cache")});
  CHECK(plan_text(p, obs) == R"(#1 start db (exited)
#2 remove web (config hash changed)
#3 run web (config hash changed) after #2
)");
  UpOptions keep;
  keep.no_recreate = true;
  CHECK(plan_text(p, obs, keep) == "#1 start db (exited)\n");
  UpOptions force;
  force.force_recreate = true;
  force.services = {"cache"};
  CHECK(plan_text(p, obs, force) == R"(#1 remove cache (forced)
#2 run cache (forced) after #1
)");
}

TEST_CASE("up: a changed pod is recreated with every container it held", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web")});
  auto obs = with_pod(p, {container(p, "db")});
  obs.pod->hash = "old";
  UpOptions only_web;
  only_web.services = {"web"};
  only_web.no_deps = true;
  CHECK(plan_text(p, obs, only_web) == R"(#1 remove-pod (pod config changed)
#2 create-pod (pod config changed) after #1
#3 run db (pod recreated) after #2
#4 run web (pod recreated) after #2
)");
  only_web.no_recreate = true;
  auto plan = plan_up(p, graph_of(p), obs, only_web);
  CHECK(to_string(plan) == "#1 run web (not found)\n");
  CHECK(plan.warnings.size() == 1);
}

TEST_CASE("up: orphans are reported, or removed with --remove-orphans", "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto old = container(p, "worker");
  auto obs = with_pod(p, {container(p, "web"), old});
  auto plan = plan_up(p, graph_of(p), obs, {});
  CHECK(plan.empty());
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0].find("[demo-worker-1]") != std::string::npos);
  UpOptions rm;
  rm.remove_orphans = true;
  CHECK(plan_text(p, obs, rm) == "#1 remove worker (orphan)\n");
}

TEST_CASE("up: volumes and networks are created first", "[engine][planner]") {
  auto s = service("db");
  compose::Mount m;
  m.type = "volume";
  m.source = "data";
  m.target = "/data";
  s.volumes = {m};
  s.networks["back"];
  auto p = project("demo", {s});
  p.volumes["data"].name = "demo_data";
  p.networks["back"].name = "demo_back";
  CHECK(observe_options_for_up(p).volumes);
  CHECK(observe_options_for_up(p).networks);
  CHECK(plan_text(p, {}) == R"(#1 create-network back (not found)
#2 create-volume data (not found)
#3 create-pod (not found) after #1
#4 run db (not found) after #2 #3
)");
  Observed obs;
  obs.volumes = {"demo_data"};
  obs.networks = {"demo_back"};
  CHECK(plan_text(p, obs) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
)");
}

TEST_CASE("up: starts wait for dependencies under their conditions", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("migrate"), service("web")});
  depends(p, "migrate", "db", "service_healthy");
  depends(p, "web", "db", "service_healthy");
  depends(p, "web", "migrate", "service_completed_successfully");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 wait-healthy db after #2
#4 create migrate (not found) after #1
#5 start migrate (created) after #3 #4
#6 wait-completed migrate after #5
#7 create web (not found) after #1
#8 start web (created) after #3 #6 #7
)");
  // A running healthy db is still waited for when web starts.
  auto obs = with_pod(p, {container(p, "db"), container(p, "migrate", "exited")});
  CHECK(plan_text(p, obs) == R"(#1 wait-healthy db
#2 start migrate (exited) after #1
#3 wait-completed migrate after #2
#4 create web (not found)
#5 start web (created) after #1 #3 #4
)");
}

TEST_CASE("up: selection with and without dependencies", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web"), service("other")});
  depends(p, "web", "db");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  UpOptions o;
  o.services = {"web"};
  CHECK(plan_text(p, {}, o) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run web (not found) after #1 #2
)");
  o.no_deps = true;
  CHECK(plan_text(p, {}, o) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
)");
}

TEST_CASE("up: a chain of service_started dependencies is one run per link", "[engine][planner]") {
  // Create-ahead would add a podman process per link to the chain's critical path.
  auto p = project("demo", {service("a"), service("b"), service("c"), service("d")});
  depends(p, "b", "a");
  depends(p, "c", "b");
  depends(p, "d", "c", "service_healthy");
  REQUIRE_REAL_GRAPH(p, "c", "b");
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run a (not found) after #1
#3 run b (not found) after #1 #2
#4 run c (not found) after #1 #3
#5 wait-healthy c after #4
#6 create d (not found) after #1
#7 start d (created) after #5 #6
)");
  // A stopped dependency: the dependant runs after its start.
  auto obs = with_pod(p, {container(p, "a", "exited")});
  CHECK(plan_text(p, obs) == R"(#1 start a (exited)
#2 run b (not found) after #1
#3 run c (not found) after #2
#4 wait-healthy c after #3
#5 create d (not found)
#6 start d (created) after #4 #5
)");
}

TEST_CASE("up: a recreated dependency restarts dependants with restart: true",
          "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web"), service("worker")});
  depends(p, "web", "db");
  depends(p, "worker", "db");
  p.services.at("web").depends_on["db"].restart = true;
  REQUIRE_REAL_GRAPH(p, "web", "db");
  auto obs = with_pod(
      p, {container(p, "db", "running", "stale"), container(p, "web"), container(p, "worker")});
  CHECK(plan_text(p, obs) == R"(#1 remove db (config hash changed)
#2 run db (config hash changed) after #1
#3 stop web (dependency changed)
#4 start web (dependency changed) after #2 #3
)");
}

TEST_CASE("down: independent services go with the pod", "[engine][planner]") {
  auto p = project("demo", {service("a"), service("b")});
  auto obs = with_pod(p, {container(p, "a"), container(p, "b")});
  auto plan = plan_down(p, graph_of(p), obs, {});
  CHECK(to_string(plan) == "#1 remove-pod\n");
  // progress names each container that goes with the pod
  CHECK(plan.actions[0].members == std::vector<std::string>{"demo-a-1", "demo-b-1"});
}

TEST_CASE("down: a chain stops dependants first", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("api"), service("web")});
  depends(p, "api", "db");
  depends(p, "web", "api");
  REQUIRE_REAL_GRAPH(p, "web", "api");
  auto obs = with_pod(p, {container(p, "db"), container(p, "api"), container(p, "web")});
  obs.project_networks = {"demo_back"};
  obs.project_volumes = {"demo_data"};
  obs.volumes = {"demo_data", "demo_cache", "other"};
  p.volumes["cache"].name = "demo_cache";
  DownOptions o;
  o.volumes = true;
  CHECK(to_string(plan_down(p, graph_of(p), obs, o)) == R"(#1 stop web
#2 stop api after #1
#3 remove-pod after #1 #2
#4 remove-network demo_back after #3
#5 remove-volume demo_cache after #3
#6 remove-volume demo_data after #3
)");
  // -t 0: everything is killed at once, so no order: the pod goes in one step.
  DownOptions now;
  now.timeout_s = 0;
  CHECK(to_string(plan_down(p, graph_of(p), obs, now)) == R"(#1 remove-pod
#2 remove-network demo_back after #1
)");
}

TEST_CASE("down: orphans keep the pod unless --remove-orphans", "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto obs = with_pod(p, {container(p, "web"), container(p, "gone")});
  auto plan = plan_down(p, graph_of(p), obs, {});
  CHECK(to_string(plan) == "#1 remove web\n");
  CHECK(plan.warnings.size() == 1);
  DownOptions o;
  o.remove_orphans = true;
  CHECK(to_string(plan_down(p, graph_of(p), obs, o)) == "#1 remove-pod\n");
  compose::Project by_name;  // no compose file: everything labelled goes
  by_name.name = "demo";
  CHECK(to_string(plan_down(by_name, graph_of(by_name), obs, {})) == "#1 remove-pod\n");
}

TEST_CASE("up: a required: false dependency gets its own optional wait", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("api"), service("web")});
  depends(p, "api", "db", "service_healthy");
  depends(p, "web", "db", "service_healthy");
  p.services.at("web").depends_on.at("db").required = false;
  auto plan = plan_up(p, graph_of(p), {}, {});
  CHECK(to_string(plan) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 wait-healthy db after #2
#4 create api (not found) after #1
#5 start api (created) after #3 #4
#6 wait-healthy db (required: false) after #2
#7 create web (not found) after #1
#8 start web (created) after #6 #7
)");
  CHECK(plan.optional == std::set<int>{5});
}

TEST_CASE("up: containers qpod did not create are left alone and named in a warning",
          "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto obs = with_pod(p, {container(p, "web")});
  obs.foreign = {foreign("stranger")};
  auto plan = plan_up(p, graph_of(p), obs, {});
  CHECK(plan.empty());
  CHECK(has(plan.warnings, "[stranger]"));
  CHECK(has(plan.warnings, "not created by qpod: left alone"));
  CHECK_FALSE(has(plan.warnings, "--remove-orphans"));
  UpOptions rm;  // not an orphan: --remove-orphans leaves it too
  rm.remove_orphans = true;
  CHECK(plan_up(p, graph_of(p), obs, rm).empty());

  // No pod yet: only qpod's own containers outside a pod are in the way.
  Observed none;
  none.foreign = {foreign("stranger")};
  CHECK(plan_text(p, none) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
)");
}

TEST_CASE("up: a name taken by a container qpod did not create stops up before it creates anything",
          "[engine][planner]") {
  auto p = project("demo", {service("web"), service("db")});
  Observed obs;
  obs.foreign = {foreign("demo-web-1")};
  auto plan = plan_up(p, graph_of(p), obs, {});
  CHECK(plan.actions.empty());
  REQUIRE(plan.errors.size() == 1);
  CHECK(format(plan.errors[0]) ==
        "service web: the container name demo-web-1 is taken by a container qpod did not "
        "create; rename or remove it");
}

TEST_CASE("up: a pod that holds a container qpod did not create is not recreated",
          "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto obs = with_pod(p, {container(p, "web")});
  obs.pod->hash = "old";
  obs.foreign = {foreign("guest", "podid")};
  auto plan = plan_up(p, graph_of(p), obs, {});
  CHECK(plan.actions.empty());
  REQUIRE(plan.errors.size() == 1);
  CHECK(format(plan.errors[0]).find("holds containers qpod did not create ([guest])") !=
        std::string::npos);
}

TEST_CASE("up: a qpod orphan outside the pod is an orphan, not in the way", "[engine][planner]") {
  auto p = project("demo", {service("web")});
  Observed obs;  // the pod is gone; a container qpod made for a removed service is left
  obs.containers = {container(p, "old")};
  auto plan = plan_up(p, graph_of(p), obs, {});
  CHECK(to_string(plan) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
)");
  CHECK(has(plan.warnings, "[demo-old-1]"));
  UpOptions rm;
  rm.remove_orphans = true;
  CHECK(plan_text(p, obs, rm) == R"(#1 create-pod (not found)
#2 remove old (orphan)
#3 run web (not found) after #1
)");
}

TEST_CASE("down: containers qpod did not create stay, and so does a pod that holds one",
          "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto obs = with_pod(p, {container(p, "web")});
  obs.foreign = {foreign("stranger")};  // outside the pod: the pod goes, it stays
  auto plan = plan_down(p, graph_of(p), obs, {});
  CHECK(to_string(plan) == "#1 remove-pod\n");
  CHECK(has(plan.warnings, "[stranger]"));
  CHECK(has(plan.warnings, "not created by qpod: left alone"));
  DownOptions rm;
  rm.remove_orphans = true;
  CHECK(to_string(plan_down(p, graph_of(p), obs, rm)) == "#1 remove-pod\n");
  compose::Project by_name;  // no compose file: still only what qpod made
  by_name.name = "demo";
  CHECK(to_string(plan_down(by_name, graph_of(by_name), obs, {})) == "#1 remove-pod\n");

  // In the pod: `pod rm` would take it along, so the pod stays and qpod's containers go.
  obs.foreign = {foreign("guest", "podid")};
  plan = plan_down(p, graph_of(p), obs, rm);
  CHECK(to_string(plan) == "#1 remove web\n");
  CHECK(has(plan.warnings,
            "pod demo is kept: removing it would remove [guest], which qpod did "
            "not create"));
}

TEST_CASE("down --remove-orphans: a qpod orphan outside the pod goes too", "[engine][planner]") {
  auto p = project("demo", {service("web")});
  auto outside = container(p, "old");
  outside.pod_id = "";  // its pod is gone
  auto obs = with_pod(p, {container(p, "web")});
  obs.containers.push_back(outside);
  DownOptions rm;
  rm.remove_orphans = true;
  CHECK(to_string(plan_down(p, graph_of(p), obs, rm)) == R"(#1 remove-pod
#2 remove old
)");
  // Without the flag it stays, named; it does not keep the pod, which it is not in.
  auto plan = plan_down(p, graph_of(p), obs, {});
  CHECK(to_string(plan) == "#1 remove-pod\n");
  CHECK(has(plan.warnings, "[demo-old-1]"));
  // No pod at all: it goes on its own.
  Observed gone;
  gone.containers = {outside};
  CHECK(to_string(plan_down(p, graph_of(p), gone, rm)) == "#1 remove old\n");
}
