#include "engine/watch_sync.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"
#include "tests/support/temp_dir.h"

using namespace qpod::engine;
using namespace qpod::engine::testing;
using qpod::testing::TempDir;
using qpod::watch::SyncFile;

namespace {

auto dirs(std::set<std::string> d) {
  return [d = std::move(d)](const std::string& p) { return d.count(p) > 0; };
}

}  // namespace

TEST_CASE("plan_sync: removals, new directories, copies", "[engine][watch]") {
  std::vector<SyncFile> files = {{"/p/gone", "/app/gone", true},
                                 {"/p/new", "/app/new", false},
                                 {"/p/new/a.txt", "/app/new/a.txt", false}};
  auto s = plan_sync(files, false, dirs({"/p/new"}));
  CHECK(s.remove == std::vector<std::string>{"/app/gone"});
  CHECK(s.mkdir == std::vector<std::string>{"/app/new"});
  REQUIRE(s.copy.size() == 1);
  CHECK(s.copy[0] == std::pair<std::string, std::string>{"/p/new/a.txt", "/app/new/a.txt"});
}

TEST_CASE("plan_sync: after lost events a directory is copied whole, into its target",
          "[engine][watch]") {
  auto s = plan_sync({{"/p/src", "/app", false}}, true, dirs({"/p/src"}));
  CHECK(s.mkdir.empty());
  REQUIRE(s.copy.size() == 1);
  CHECK(s.copy[0] == std::pair<std::string, std::string>{"/p/src/.", "/app"});
}

TEST_CASE("run_sync: one rm, one mkdir, one cp per file", "[engine][watch]") {
  auto p = project("demo", {service("web")});
  FakeRuntime rt;
  SyncSteps steps;
  steps.remove = {"/app/x", "/app/y"};
  steps.mkdir = {"/app/d"};
  steps.copy = {{"/p/a", "/app/a"}, {"/p/b", "/app/b"}};
  CHECK(run_sync(p, p.services.at("web"), rt, steps, 1).ok());
  CHECK(rt.calls() == Calls{"exec demo-web-1 rm -rf -- /app/x /app/y",
                            "exec demo-web-1 mkdir -p -- /app/d", "cp /p/a demo-web-1:/app/a",
                            "cp /p/b demo-web-1:/app/b"});
}

TEST_CASE("run_sync: a copy into a missing folder is retried after mkdir", "[engine][watch]") {
  TempDir dir;
  const std::string file = dir.write("sub/a.txt");
  auto p = project("demo", {service("web")});
  FakeRuntime rt;
  rt.reply("cp", {125, "", "Error: no such file or directory"}, true);
  SyncSteps steps;
  steps.copy = {{file, "/app/sub/a.txt"}};
  CHECK(run_sync(p, p.services.at("web"), rt, steps, 4).ok());
  CHECK(rt.calls() == Calls{"cp " + file + " demo-web-1:/app/sub/a.txt",
                            "exec demo-web-1 mkdir -p -- /app/sub",
                            "cp " + file + " demo-web-1:/app/sub/a.txt"});
}

TEST_CASE("run_sync: failures name podman's error, files gone meanwhile are skipped",
          "[engine][watch]") {
  TempDir dir;
  const std::string file = dir.write("a.txt");
  auto p = project("demo", {service("web")});
  FakeRuntime rt;
  rt.reply("cp", {125, "", "Error: container is not running"});
  SyncSteps steps;
  steps.copy = {{file, "/app/a.txt"}, {dir / "gone.txt", "/app/gone.txt"}};
  auto synced = run_sync(p, p.services.at("web"), rt, steps, 2);
  REQUIRE_FALSE(synced.ok());
  REQUIRE(synced.errors().size() == 1);
  CHECK(synced.errors()[0].message.find("container is not running") != std::string::npos);
  CHECK(synced.errors()[0].message.find("a.txt") != std::string::npos);
}
