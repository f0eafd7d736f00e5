#include "engine/rollback.h"

#include <catch2/catch.hpp>

#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

Observed with_pod(const std::string& id, std::vector<ObservedContainer> cs = {}) {
  Observed o;
  o.pod = ObservedPod{id, "demo", "Running", "hash"};
  for (auto& c : cs) c.pod_id = id;
  o.containers = std::move(cs);
  return o;
}

ObservedContainer made(const compose::Project& p, const std::string& service, const std::string& id,
                       const std::string& state = "running") {
  auto c = container(p, service, state);
  c.id = id;
  return c;
}

}  // namespace

TEST_CASE("rollback: a pod this up created goes, with everything in it", "[engine][rollback]") {
  auto p = project("demo", {service("db"), service("web")});
  Observed before;
  before.project_networks = {"shared_by_someone"};  // not this up's: stays
  Observed after = with_pod("new", {made(p, "db", "d1"), made(p, "web", "w1", "created")});
  after.project_networks = {"shared_by_someone", "demo_default"};
  after.project_volumes = {"demo_data"};
  CHECK(to_string(plan_rollback(before, after)) == R"(#1 remove-pod (rollback)
#2 remove-network demo_default (rollback) after #1
#3 remove-volume demo_data (rollback) after #1
)");
  // The pod recreated by this up (a new id) is this up's too.
  CHECK(to_string(plan_rollback(with_pod("old"), with_pod("new"))) == "#1 remove-pod (rollback)\n");
}

TEST_CASE("rollback: in a pod that existed, only what this up created goes", "[engine][rollback]") {
  auto p = project("demo", {service("db"), service("api"), service("web"), service("job")});
  Observed before =
      with_pod("pod", {made(p, "db", "d1"), made(p, "api", "a1"), made(p, "web", "w1")});
  Observed after = with_pod("pod", {made(p, "db", "d1"),               // untouched: stays
                                    made(p, "api", "a2"),              // replaced, started: stays
                                    made(p, "web", "w2", "created"),   // replaced, never started
                                    made(p, "job", "j1", "exited")});  // new: this up's
  CHECK(to_string(plan_rollback(before, after)) == R"(#1 remove web (rollback)
#2 remove job (rollback)
)");
  auto plan = plan_rollback(before, after);
  CHECK(plan.actions[0].container == "demo-web-1");
  CHECK(plan_rollback(before, before).actions.empty());
}

TEST_CASE("rollback: containers qpod did not create are never touched", "[engine][rollback]") {
  Observed before;
  Observed after;
  ObservedContainer stranger;
  stranger.id = "s1";
  stranger.name = "stranger";
  after.foreign = {stranger};
  CHECK(plan_rollback(before, after).actions.empty());
}
