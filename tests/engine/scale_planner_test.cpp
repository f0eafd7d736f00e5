// scale / deploy.replicas / up --scale: N containers P-S-1..N in the pod; scaling down removes
// the highest numbers; a published host port or a container_name refuses more than one.
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
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

// A runtime whose `run` of a container named `prefix`... holds each caller until `target`
// such calls have arrived (a barrier), and counts how many are in flight at once. A serial
// executor never lets the second one arrive while the first waits: it fails after the safety
// limit (no timing is asserted; the limit only keeps a broken executor from hanging the test).
class BarrierRuntime : public podman::Runtime {
 public:
  BarrierRuntime(std::string prefix, int target) : prefix_(std::move(prefix)), target_(target) {}
  podman::RunResult run(const std::vector<std::string>& argv) override {
    std::string joined = podman::join_argv(argv);
    if (joined.rfind(prefix_, 0) == 0) {
      std::unique_lock lock(mu_);
      ++arrived_;
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
      cv_.notify_all();
      bool met = cv_.wait_for(lock, std::chrono::seconds(20), [&] { return arrived_ >= target_; });
      --in_flight_;
      if (!met) return {125, {}, "Error: the barrier was never met"};
    }
    return inner.run(argv);
  }
  int max_in_flight() const {
    std::lock_guard lock(mu_);
    return max_in_flight_;
  }
  FakeRuntime inner;

 private:
  std::string prefix_;
  int target_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0, in_flight_ = 0, max_in_flight_ = 0;
};

}  // namespace

TEST_CASE("scale: three containers side by side, and a dependant after all of them",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("web"), service("proxy")});
  p.services.at("web").scale = 3;
  depends(p, "proxy", "web");
  REQUIRE_REAL_GRAPH(p, "proxy", "web");
  // Each container waits only for the pod, as docker compose creates replicas in parallel;
  // proxy (service_started) waits for every one of them.
  CHECK(plan_text(p, {}) == R"(#1 create-pod (not found)
#2 run web (not found) after #1
#3 run web-2 (not found) after #1
#4 run web-3 (not found) after #1
#5 run proxy (not found) after #1 #2 #3 #4
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
#3 run db-2 (not found) after #1
#4 wait-healthy db after #2
#5 wait-healthy db-2 after #3
#6 create web (not found) after #1
#7 start web (created) after #4 #5 #6
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
#3 run web-2 (not found) after #1
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

TEST_CASE("scale: a dependency scaled from two to three, the dependant keeps waiting for all",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("db"), service("web")});
  p.services.at("db").scale = 3;
  p.services.at("db").healthcheck =
      compose::Healthcheck{{"CMD", "true"}, {}, {}, {}, {}, {}, false};
  depends(p, "web", "db", "service_healthy");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  auto obs = with_pod(p, {replica(p, "db", 1), replica(p, "db", 2), container(p, "web")});
  // db-1 and db-2 run already: their waits have nothing before them; web is kept as it is.
  CHECK(plan_text(p, obs) == R"(#1 run db-3 (not found)
#2 wait-healthy db
#3 wait-healthy db-2
#4 wait-healthy db-3 after #1
)");
}

TEST_CASE("scale: start and restart reach every container side by side, dependants after all",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("db"), service("web")});
  depends(p, "web", "db");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  std::vector<ObservedContainer> cs = {replica(p, "db", 1), replica(p, "db", 2),
                                       replica(p, "db", 3), container(p, "web")};
  CHECK(to_string(plan_restart(p, graph_of(p), with_pod(p, cs), {})) == R"(#1 restart db (running)
#2 restart db-2 (running)
#3 restart db-3 (running)
#4 restart web (running) after #1 #2 #3
)");
  for (auto& c : cs) c.state = "exited";
  cs[0].state = "running";  // db-1 runs: only the others start, web after them
  CHECK(to_string(plan_start(p, graph_of(p), with_pod(p, cs), {})) == R"(#1 start db-2 (exited)
#2 start db-3 (exited)
#3 start web (exited) after #1 #2
)");
}

TEST_CASE("scale: a container port in ports or expose is named in a warning, once per service",
          "[engine][planner][scale]") {
  auto p = project("demo", {service("web"), service("one")});
  compose::Port port;
  port.target = 80;
  p.services.at("web").ports = {port};
  p.services.at("web").expose = {"9000", "7000-7001/udp"};
  p.services.at("web").scale = 3;
  p.services.at("one").ports = {port};  // one container: its port is its own
  Plan plan = plan_up(p, graph_of(p), {}, {});
  REQUIRE(plan.errors.empty());
  CHECK(plan.warnings == std::vector<std::string>{
                             "service web runs 3 containers in one pod, which share its network: "
                             "only one of them can listen on each of its container ports 80/tcp "
                             "(ports[0]), 9000 (expose[0]), 7000-7001/udp (expose[1]); the others "
                             "fail to bind the same port"});
  p.services.at("web").ports.clear();
  p.services.at("web").expose.clear();
  CHECK(plan_up(p, graph_of(p), {}, {}).warnings.empty());
  UpOptions two;  // up --scale one=2 warns for one
  two.scale = {{"one", 2}};
  plan = plan_up(p, graph_of(p), {}, two);
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0].rfind("service one runs 2 containers in one pod", 0) == 0);
}

TEST_CASE("scale: the executor runs the containers of a service at once, up to its parallelism",
          "[engine][executor][scale]") {
  auto p = project("demo", {service("web"), service("proxy")});
  p.services.at("web").scale = 3;
  depends(p, "proxy", "web");
  Plan plan = plan_up(p, graph_of(p), {}, {});
  std::ostringstream out, err;
  StreamProgress progress(out, err);

  BarrierRuntime all("run --detach --name demo-web-", 3);  // all three must be in flight together
  ExecOptions four;
  four.parallelism = 4;
  auto r = execute(plan, p, all, progress, four);
  INFO(err.str());
  REQUIRE(r.ok());
  CHECK(all.max_in_flight() == 3);
  auto runs = all.inner.calls_starting("run --detach --name demo-");
  REQUIRE(runs.size() == 4);
  CHECK(runs[3].rfind("run --detach --name demo-proxy-1 ", 0) == 0);  // after every web

  BarrierRuntime two("run --detach --name demo-web-", 2);
  ExecOptions bounded;
  bounded.parallelism = 2;
  r = execute(plan, p, two, progress, bounded);
  REQUIRE(r.ok());
  CHECK(two.max_in_flight() == 2);  // the same bound as independent services
  CHECK(two.inner.calls_starting("run --detach --name demo-web-").size() == 3);
}
