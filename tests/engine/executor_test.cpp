#include "engine/executor.h"

#include <catch2/catch.hpp>

#include "engine/planner.h"
#include "podman/failure_line.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;
using namespace std::chrono_literals;

namespace {

Action act(ActionKind k, std::string service, std::vector<int> after = {}) {
  return {k, std::move(service), "", std::move(after), ""};
}

// pod; db create, start; [wait db]; web create, start after db.
Plan chain(std::optional<ActionKind> wait = std::nullopt) {
  Plan plan;
  plan.actions = {act(ActionKind::CreatePod, ""), act(ActionKind::CreateContainer, "db", {0}),
                  act(ActionKind::Start, "db", {1}), act(ActionKind::CreateContainer, "web", {0})};
  int ready = 2;
  if (wait) {
    plan.actions.push_back(act(*wait, "db", {2}));
    ready = 4;
  }
  plan.actions.push_back(act(ActionKind::Start, "web", {ready, 3}));
  return plan;
}

compose::Project demo() {
  auto p = project("demo", {service("db"), service("web")});
  compose::Healthcheck hc;
  hc.test = {"CMD", "true"};
  hc.interval = 10ms;
  hc.retries = 2;
  p.services.at("db").healthcheck = hc;
  return p;
}

ExecOptions options(int parallelism, const std::atomic<bool>* cancel = nullptr,
                    std::optional<int> stop_timeout = std::nullopt) {
  ExecOptions o;
  o.parallelism = parallelism;
  o.cancel = cancel;
  o.stop_timeout_s = stop_timeout;
  return o;
}

std::size_t index_of(const Calls& calls, const std::string& call) {
  return static_cast<std::size_t>(std::find(calls.begin(), calls.end(), call) - calls.begin());
}

}  // namespace

TEST_CASE("executor: runs every action after the ones it waits for", "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  RecordingProgress progress;
  auto r = execute(chain(), p, rt, progress, options(4));
  REQUIRE(r.ok());
  CHECK(r.ran == 5);
  auto calls = rt.calls();
  REQUIRE(calls.size() == 5);
  CHECK(calls[0].rfind("pod create --name demo", 0) == 0);
  CHECK(rt.calls_starting("start") == Calls{"start demo-db-1", "start demo-web-1"});
  CHECK(index_of(calls, "start demo-web-1") > index_of(calls, "start demo-db-1"));
  auto lines = progress.lines();
  CHECK(std::count(lines.begin(), lines.end(), "Container demo-web-1 Started") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "Pod demo Created") == 1);
}

TEST_CASE("executor: the new pod of up is started before its containers run",
          "[engine][executor]") {
  auto p = project("demo", {service("db"), service("web")});
  Plan plan = plan_up(p, graph_of(p), {}, {});
  FakeRuntime rt;
  RecordingProgress progress;
  REQUIRE(execute(plan, p, rt, progress, options(4)).ok());
  auto calls = rt.calls();
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].rfind("pod create --name demo", 0) == 0);
  CHECK(calls[1] == "pod start demo");  // before the parallel runs, which would race to start it
  CHECK(rt.calls_starting("run").size() == 2);
  CHECK(progress.lines() == std::vector<std::string>{"Pod demo Created",
                                                     "Container demo-db-1 Started",
                                                     "Container demo-web-1 Started"});

  // A failed start fails the pod's action: nothing runs in it.
  FakeRuntime failing;
  failing.fail_on({"pod", "start"}, "Error: cannot start the infra container");
  auto r = execute(plan, p, failing, progress, options(4));
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message ==
        "podman pod start failed (exit 125): Error: cannot start the infra container");
  CHECK(failing.calls_starting("run").empty());
}

TEST_CASE("executor: a failure stops dependants and reports podman's stderr",
          "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.fail_on({"start", "demo-db-1"}, "Error: crun: executable file `nope` not found");
  RecordingProgress progress;
  auto r = execute(chain(), p, rt, progress, options(2));
  CHECK_FALSE(r.ok());
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].service == "db");
  CHECK(r.failures[0].message ==
        "podman start failed (exit 125): Error: crun: executable file `nope` not found");
  CHECK(rt.calls_starting("start") == Calls{"start demo-db-1"});
}

TEST_CASE("executor: service_healthy polls podman healthcheck run", "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("healthcheck run demo-db-1", {1, "unhealthy\n", ""}, true);
  rt.reply("healthcheck run demo-db-1", {1, "unhealthy\n", ""}, true);
  rt.reply("healthcheck run demo-db-1", {0, "healthy\n", ""});
  RecordingProgress progress;
  auto r = execute(chain(ActionKind::WaitHealthy), p, rt, progress);
  REQUIRE(r.ok());
  auto calls = rt.calls();
  CHECK(rt.calls_starting("healthcheck").size() == 3);
  CHECK(index_of(calls, "start demo-web-1") > index_of(calls, "healthcheck run demo-db-1"));
  auto lines = progress.lines();
  CHECK(std::count(lines.begin(), lines.end(), "Container demo-db-1 Healthy") == 1);
}

TEST_CASE("executor: unhealthy after the retries fails with the last check's output",
          "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("healthcheck run", {1, "unhealthy\n", ""});
  rt.reply("inspect --format {{json .State.Health}} demo-db-1",
           {0, R"({"Status":"unhealthy","Log":[{"ExitCode":2,"Output":"db not ready\n"}]})", ""});
  RecordingProgress progress;
  auto r = execute(chain(ActionKind::WaitHealthy), p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message == "dependency db is unhealthy (exit 2: db not ready)");
  // A first probe at once, then `retries` (2) failures.
  CHECK(rt.calls_starting("healthcheck").size() == 3);
  CHECK(rt.calls_starting("start") == Calls{"start demo-db-1"});
}

TEST_CASE("executor: up --wait's own wait names the service, whatever the reason text says",
          "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("healthcheck run", {1, "unhealthy\n", ""});
  rt.reply("inspect --format {{json .State.Health}} demo-db-1",
           {0, R"({"Status":"unhealthy","Log":[{"ExitCode":2,"Output":"db not ready\n"}]})", ""});
  RecordingProgress progress;
  Plan plan;
  plan.actions.push_back({ActionKind::WaitHealthy, "db", "some display text", {}, ""});
  plan.actions.back().waiter = Waiter::UpWait;
  auto r = execute(plan, p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message == "service db is unhealthy (exit 2: db not ready)");
}

TEST_CASE("executor: a dependency that is not running cannot become healthy",
          "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("healthcheck run", {125, "", "Error: container abc is not running\n"});
  RecordingProgress progress;
  auto r = execute(chain(ActionKind::WaitHealthy), p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message ==
        "dependency db cannot become healthy: podman healthcheck run demo-db-1 failed (exit 125): "
        "Error: container abc is not running");
  CHECK(rt.calls_starting("healthcheck").size() == 1);
}

TEST_CASE("executor: service_completed_successfully waits for exit code 0", "[engine][executor]") {
  auto p = demo();
  SECTION("exit 0: the dependant starts") {
    FakeRuntime rt;
    rt.reply("wait demo-db-1", {0, "0\n", ""});
    RecordingProgress progress;
    CHECK(execute(chain(ActionKind::WaitCompleted), p, rt, progress).ok());
    CHECK(rt.calls_starting("start").size() == 2);
  }
  SECTION("exit 3: it does not") {
    FakeRuntime rt;
    rt.reply("wait demo-db-1", {0, "3\n", ""});
    RecordingProgress progress;
    auto r = execute(chain(ActionKind::WaitCompleted), p, rt, progress);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].message == "service db didn't complete successfully: exit 3");
    CHECK(rt.calls_starting("start") == Calls{"start demo-db-1"});
  }
}

TEST_CASE("executor: cancellation stops scheduling", "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  std::atomic<bool> cancel{true};
  RecordingProgress progress;
  auto r = execute(chain(), p, rt, progress, options(4, &cancel));
  CHECK(r.cancelled);
  CHECK(rt.calls().empty());
}

TEST_CASE("executor: orphans and removals use the observed container name", "[engine][executor]") {
  auto p = demo();
  Plan plan;
  plan.actions = {{ActionKind::Remove, "old", "orphan", {}, "demo-old-1"},
                  {ActionKind::RemovePod, "", "", {0}, ""},
                  {ActionKind::RemoveVolume, "demo_data", "", {1}, ""}};
  FakeRuntime rt;
  RecordingProgress progress;
  REQUIRE(execute(plan, p, rt, progress, options(1, nullptr, 5)).ok());
  // -t 5 (down -t, up -t) is the grace period of every container removed, the pod's too.
  CHECK(rt.calls() == Calls{"rm --force --volumes --time 5 demo-old-1",
                            "pod rm --force --time 5 demo", "volume rm demo_data"});
}

TEST_CASE("executor: run creates and starts in one call", "[engine][executor]") {
  auto p = demo();
  Plan plan;
  plan.actions = {act(ActionKind::CreatePod, ""), act(ActionKind::Run, "web", {0})};
  FakeRuntime rt;
  RecordingProgress progress;
  REQUIRE(execute(plan, p, rt, progress).ok());
  auto runs = rt.calls_starting("run --detach --name demo-web-1 --pod demo ");
  CHECK(runs.size() == 1);
  CHECK(progress.lines().back() == "Container demo-web-1 Started");
}

TEST_CASE("executor: an optional wait (required: false) that fails is a warning, web starts",
          "[engine][executor]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("healthcheck run", {125, "", "Error: container abc is not running\n"});
  RecordingProgress progress;
  Plan plan = chain(ActionKind::WaitHealthy);
  plan.optional = {4};  // the wait
  auto r = execute(plan, p, rt, progress);
  CHECK(r.ok());
  CHECK(rt.calls_starting("start") == Calls{"start demo-db-1", "start demo-web-1"});
  auto lines = progress.lines();
  CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return l.rfind("WARN db: dependency db cannot become healthy", 0) == 0 &&
           l.find("(required: false: continuing)") != std::string::npos;
  }));
}

TEST_CASE("describe_failure: environment and build-arg values are never shown", "[engine]") {
  podman::RunResult r{125, "", "Error: boom\n"};
  CHECK(podman::describe_failure(
            {"run", "--env", "DB_PASSWORD=hunter2", "-e", "A=b", "--env=TOKEN=x=y", "--env",
             "FROM_HOST", "--build-arg", "KEY=s3cret", "img"},
            r) ==
        "podman run --env DB_PASSWORD=*** -e A=*** --env=TOKEN=*** --env FROM_HOST "
        "--build-arg KEY=*** img failed (exit 125): Error: boom");
}

TEST_CASE("brief_failure: the command and podman's last Error line, not the argv",
          "[engine][executor]") {
  podman::RunResult r{
      126, "",
      "time=\"2026\" level=warning msg=\"noise\"\n"
      "Error: starting some containers: internal libpod error\n"
      "Error: rootlessport listen tcp 0.0.0.0:8080: bind: address already in use\n\n"};
  CHECK(podman::brief_failure(
            {"run", "--detach", "--env", "TOKEN=s3cret", "--name", "demo-web-1", "img"}, r) ==
        "podman run failed (exit 126): Error: rootlessport listen tcp 0.0.0.0:8080: bind: "
        "address already in use");
  CHECK(
      podman::brief_failure({"pod", "create", "--name", "demo"}, {125, "", "boom\nlast words\n"}) ==
      "podman pod create failed (exit 125): last words");
  // The line alone (hooks use it too): stdout's when stderr is blank, 300 characters at most,
  // and nothing (no dangling ": ") when neither says anything.
  CHECK(podman::failure_line({3, "step 1\nno config found\n", " \n"}) == "no config found");
  CHECK(podman::failure_line({3, "ignored\n", "sh: nope\n"}) == "sh: nope");
  CHECK(podman::failure_line({3, "", std::string(400, 'x')}) == std::string(300, 'x') + "...");
  CHECK(podman::brief_failure({"start", "demo-web-1"}, {1, "", ""}) ==
        "podman start failed (exit 1)");
}

TEST_CASE("loggable_argv: every element is unambiguous and environment values are masked",
          "[engine]") {
  CHECK(podman::loggable_argv({"create", "--name", "demo-web-1", "--label", "a=b c", "--env",
                               "DB_PASSWORD=hunter2", "--env=TOKEN=x", "--build-arg", "K=s3cret",
                               "img", "", "it's"}) ==
        "create --name demo-web-1 --label 'a=b c' --env 'DB_PASSWORD=***' '--env=TOKEN=***' "
        "--build-arg 'K=***' img '' 'it'\\''s'");
  CHECK(podman::loggable_argv({"run", "sh", "-c", "echo $HOME; ls"}) ==
        "run sh -c 'echo $HOME; ls'");
}

TEST_CASE("executor: the pod's containers are named removed with it, before the pod",
          "[engine][executor]") {
  auto p = demo();
  Plan plan;
  plan.actions.push_back({ActionKind::RemovePod, "", "", {}, {}});
  plan.actions.back().members = {"demo-db-1", "demo-web-1"};
  FakeRuntime rt;
  RecordingProgress progress;
  REQUIRE(execute(plan, p, rt, progress, options(1)).ok());
  CHECK(progress.lines() == std::vector<std::string>{"Container demo-db-1 Removed",
                                                     "Container demo-web-1 Removed",
                                                     "Pod demo Removed"});
  FakeRuntime failing;
  failing.fail_on({"pod", "rm"});
  RecordingProgress none;
  CHECK_FALSE(execute(plan, p, failing, none, options(1)).ok());
  CHECK(none.lines().empty());
}
