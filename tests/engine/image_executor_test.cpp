// Executing image actions and --wait's running check against the fake runtime.
#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/executor.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Project builds_web() {
  auto web = service("web");
  web.image.clear();
  web.build = compose::Build{};
  web.build->context = "/src/demo/web";
  return project("demo", {web});
}

Plan one(ActionKind kind, const std::string& service, const std::string& reason = "") {
  Plan plan;
  plan.actions.push_back({kind, service, reason, {}, {}});
  return plan;
}

}  // namespace

TEST_CASE("executor: a failed build names the image and ends with the build's output",
          "[engine][executor][build]") {
  auto p = builds_web();
  FakeRuntime rt;
  std::string out;
  for (int i = 1; i <= 30; ++i) out += "STEP " + std::to_string(i) + "\n";
  rt.reply("build", {1, out, "Error: building at STEP \"RUN false\": exit status 1"});
  RecordingProgress progress;
  auto r = execute(one(ActionKind::Build, "web"), p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].service == "web");
  const std::string& m = r.failures[0].message;
  CHECK(m.rfind("building image demo-web failed (exit 1)", 0) == 0);
  CHECK(m.find("Error: building at STEP \"RUN false\"") != std::string::npos);
  CHECK(m.find("STEP 30") != std::string::npos);   // the tail is there...
  CHECK(m.find("STEP 5\n") == std::string::npos);  // ...not the whole output
  CHECK(rt.calls_starting("build").size() == 1);
}

TEST_CASE("executor: dockerfile_inline goes through a file that is gone afterwards",
          "[engine][executor][build]") {
  auto p = builds_web();
  p.services.at("web").build->dockerfile_inline = "FROM scratch\n";
  FakeRuntime rt;
  RecordingProgress progress;
  REQUIRE(execute(one(ActionKind::Build, "web"), p, rt, progress).ok());
  auto call = rt.calls_starting("build").at(0);
  auto at = call.find("--file ");
  REQUIRE(at != std::string::npos);
  std::string file = call.substr(at + 7, call.find(' ', at + 7) - at - 7);
  CHECK(file.find("qpod-demo-web-") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(progress.lines() ==
        std::vector<std::string>{"Image demo-web Building", "Image demo-web Built"});
}

TEST_CASE("executor: a failed pull fails, or warns with --ignore-pull-failures",
          "[engine][executor][build]") {
  auto p = project("demo", {service("db")});
  FakeRuntime rt;
  // podman's retry warnings say the error three times more: only its last Error line is kept
  rt.reply("pull",
           {125, "",
            "time=\"...\" level=warning msg=\"Failed, retrying in 1s ... (1/3). Error: x\"\n"
            "time=\"...\" level=warning msg=\"Failed, retrying in 1s ... (2/3). Error: x\"\n"
            "Error: initializing source: connection refused\n"});
  RecordingProgress progress;
  auto r = execute(one(ActionKind::Pull, "db"), p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message ==
        "service db: image localhost/qpod-busybox:latest is not here and cannot be pulled "
        "(podman pull failed (exit 125): Error: initializing source: connection refused): is it "
        "in `podman images`? the name may be misspelled, or no registry has it");
  ExecOptions ignore;
  ignore.ignore_pull_failures = true;
  RecordingProgress warned;
  CHECK(execute(one(ActionKind::Pull, "db"), p, rt, warned, ignore).ok());
  REQUIRE(warned.lines().size() == 2);
  CHECK(warned.lines()[1].find("connection refused") != std::string::npos);
}

TEST_CASE("executor: --wait's running check", "[engine][executor][build]") {
  auto p = project("demo", {service("db")});
  RecordingProgress progress;
  FakeRuntime running;
  running.reply("inspect", {0, "running 0\n", ""});
  CHECK(execute(one(ActionKind::WaitRunning, "db", "wait"), p, running, progress).ok());
  FakeRuntime done;
  done.reply("inspect", {0, "exited 0\n", ""});
  CHECK(execute(one(ActionKind::WaitRunning, "db", "wait"), p, done, progress).ok());
  FakeRuntime crashed;
  crashed.reply("inspect", {0, "exited 3\n", ""});
  auto r = execute(one(ActionKind::WaitRunning, "db", "wait"), p, crashed, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message == "service db is not running (exited, exit code 3)");
}

TEST_CASE("executor: remove-image of an absent image reports nothing, in use, a warning",
          "[engine][executor][build]") {
  auto p = project("demo", {service("db")});
  FakeRuntime absent;
  RecordingProgress quiet;
  CHECK(execute(one(ActionKind::RemoveImage, "demo-web"), p, absent, quiet).ok());
  CHECK(quiet.lines().empty());
  FakeRuntime in_use;
  in_use.reply("rmi", {2, "", "Error: image used by 1234: image is in use by a container"});
  RecordingProgress warned;
  CHECK(execute(one(ActionKind::RemoveImage, "demo-web"), p, in_use, warned).ok());
  REQUIRE(warned.lines().size() == 1);
  CHECK(warned.lines()[0].find("image demo-web kept") != std::string::npos);
}
