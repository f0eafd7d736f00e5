// post_start / pre_stop lifecycle hooks: bound from the file, run by `podman exec` after a
// container starts and before it stops; a failing post_start fails the action.
#include "engine/hooks.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <sstream>

#include "base/text.h"
#include "compose/parse.h"
#include "engine/executor.h"
#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Service hooked() {
  // Hooks are bound with the QPOD dialect and develop.watch (bind_qpod), so the whole project.
  auto parsed = compose::parse_yaml(R"(services:
  web:
    image: busybox
    command: [sleep, "600"]
    post_start:
      - command: [sh, -c, "echo up > /tmp/ready"]
        user: root
        working_dir: /tmp
        privileged: true
        environment: {MODE: "-x", EMPTY: null}
    pre_stop:
      - command: [sh, -c, "echo bye"]
)",
                                    "compose.yaml");
  REQUIRE(parsed.ok());
  compose::Project p;
  REQUIRE(compose::bind_project(parsed.value(), compose::Node::mapping(), p).empty());
  return p.services.at("web");
}

}  // namespace

TEST_CASE("hooks: post_start and pre_stop are bound and become podman exec argv",
          "[engine][hooks]") {
  auto s = hooked();
  REQUIRE(s.post_start.size() == 1);
  REQUIRE(s.pre_stop.size() == 1);
  CHECK(podman::join_argv(podman::container_exec_hook("demo-web-1", s.post_start[0])) ==
        "exec --privileged --user=root --workdir=/tmp --env=EMPTY --env=MODE=-x demo-web-1 sh -c "
        "echo up > /tmp/ready");
  CHECK(podman::join_argv(podman::container_exec_hook("demo-web-2", s.pre_stop[0])) ==
        "exec demo-web-2 sh -c echo bye");
  auto p = project("demo", {s});
  CHECK(join(podman::service_warnings(p, p.services.at("web"), {}), "\n") == "");

  compose::Project loaded;
  auto r = compose::bind_project(
      compose::parse_yaml("services:\n  web:\n    image: x\n    post_start: [{command: []}]\n",
                          "compose.yaml")
          .value(),
      compose::Node::mapping(), loaded);
  CHECK(format(r) ==
        "compose.yaml:4:18: services.web.post_start[0]: a hook needs a command to run\n");
}

TEST_CASE("hooks: post_start runs after the start, pre_stop before the stop", "[engine][hooks]") {
  auto p = project("demo", {hooked()});
  FakeRuntime rt;
  std::ostringstream out, err;
  StreamProgress progress(out, err);
  REQUIRE(execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress).ok());
  auto calls = rt.calls();
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].rfind("pod create ", 0) == 0);
  CHECK(calls[1] == "pod start demo");
  CHECK(calls[2].rfind("run --detach --name demo-web-1 ", 0) == 0);
  CHECK(calls[3].rfind("exec --privileged --user=root ", 0) == 0);

  Observed obs;
  obs.pod = ObservedPod{"podid", "demo", "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "web")};
  obs.containers[0].pod_id = "podid";
  Plan down = plan_down(p, graph_of(p), obs, {});
  CHECK(to_string(down) == "#1 stop web (pre_stop)\n#2 remove-pod after #1\n");
  FakeRuntime rt2;
  REQUIRE(execute(down, p, rt2, progress).ok());
  CHECK(rt2.calls() ==
        Calls{"exec demo-web-1 sh -c echo bye", "stop demo-web-1", "pod rm --force demo"});
}

TEST_CASE("hooks: a failing post_start fails up with the hook, the exit code and its output",
          "[engine][hooks]") {
  auto p = project("demo", {hooked()});
  FakeRuntime rt;
  rt.reply("exec ", podman::RunResult{3, "", "sh: cannot create /tmp/ready: Read-only\n"});
  std::ostringstream out, err;
  StreamProgress progress(out, err);
  auto r = execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].service == "web");
  CHECK(r.failures[0].message ==
        "post_start[0] hook (sh -c echo up > /tmp/ready) in demo-web-1 failed (exit 3): sh: "
        "cannot create /tmp/ready: Read-only");
}

TEST_CASE("hooks: a run one-off runs its post_start hooks once the container runs",
          "[engine][hooks]") {
  auto s = hooked();
  std::ostringstream out, err;
  StreamProgress progress(out, err);
  const std::string state = "inspect --format {{.State.Status}} {{.State.ExitCode}} demo-web-run-1";
  {  // created, then running: the hook runs once
    FakeRuntime rt;
    rt.reply(state, {0, "created 0\n", ""}, true);
    rt.reply(state, {0, "running 0\n", ""});
    std::atomic<bool> ended = false;
    REQUIRE(post_start_once_running(rt, s, "demo-web-run-1", ended, progress).ok());
    CHECK(rt.calls_starting("exec").size() == 1);
    CHECK(rt.calls_starting("exec")[0].find(" demo-web-run-1 sh -c echo up") != std::string::npos);
    CHECK(rt.calls_starting("inspect").size() == 2);
  }
  {  // the run was over before it was seen running: no hook, a warning
    FakeRuntime rt;
    rt.reply(state, {0, "exited 0\n", ""});
    std::atomic<bool> ended = true;
    REQUIRE(post_start_once_running(rt, s, "demo-web-run-1", ended, progress).ok());
    CHECK(rt.calls_starting("exec").empty());
    CHECK(err.str().find("the post_start hooks did not run: demo-web-run-1 was not seen running") !=
          std::string::npos);
  }
  {  // detached: a failing hook is the run's failure
    FakeRuntime rt;
    rt.reply("exec ", podman::RunResult{3, "", "no\n"});
    auto r = run_hooks(rt, s, "demo-web-run-1", true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors().front().message ==
          "post_start[0] hook (sh -c echo up > /tmp/ready) in demo-web-run-1 failed (exit 3): no");
    CHECK(run_hooks(rt, s, "demo-web-run-1", false).errors().front().message ==
          "pre_stop[0] hook (sh -c echo bye) in demo-web-run-1 failed (exit 3): no");
  }
}
