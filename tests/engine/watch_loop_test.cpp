#include "engine/watch_loop.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "compose/bind.h"
#include "engine/command_watch.h"
#include "engine/watch_marker.h"
#include "podman/lock_dir.h"
#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"
#include "tests/support/temp_dir.h"

using namespace qpod::engine;
namespace podman = qpod::podman;
using namespace qpod::engine::testing;
using qpod::compose::Project;
using qpod::compose::QpodService;
using qpod::compose::WatchRule;
using qpod::testing::TempDir;
using qpod::watch::Fired;

namespace {

// Fired subscriptions from a script: each poll runs the next step (which may wait for
// something, or do something) and returns what it gives; then the source is exhausted.
class ScriptedSource : public ChangeSource {
 public:
  using Step = std::function<std::vector<Fired>()>;
  explicit ScriptedSource(std::vector<Step> steps) : steps_(steps.begin(), steps.end()) {}
  std::vector<Fired> poll(std::chrono::milliseconds) override {
    if (steps_.empty()) {  // the loop waits for its last batches
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return {};
    }
    Step step = std::move(steps_.front());
    steps_.pop_front();
    return step();
  }
  void wake() override {}
  bool exhausted() const override { return steps_.empty(); }

 private:
  std::deque<Step> steps_;
};

ScriptedSource::Step fire(std::string service, std::vector<std::string> paths) {
  return [=] { return std::vector<Fired>{{service, paths, false}}; };
}

// A FakeRuntime whose `restart` calls wait until release(); entered() waits for the first.
class BlockingRuntime : public FakeRuntime {
 public:
  podman::RunResult run(const std::vector<std::string>& argv) override {
    if (!argv.empty() && argv[0] == "restart") {
      std::unique_lock lock(block_mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return released_; });
    }
    return FakeRuntime::run(argv);
  }
  void wait_entered() {
    std::unique_lock lock(block_mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(block_mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex block_mu_;
  std::condition_variable cv_;
  bool entered_ = false, released_ = false;
};

std::string container_json(const Project& p, const std::string& service) {
  return R"({"Id": "id-)" + service + R"(", "Names": [")" + p.name + "-" + service +
         R"(-1"], "State": "running", "Pod": "pod-id", "Labels": {"io.qpod.project": ")" + p.name +
         R"(", "io.qpod.service": ")" + service + R"(", "io.qpod.config-hash": ")" +
         qpod::compose::service_hash(p.services.at(service)) + R"(", "io.qpod.oneoff": "False"}})";
}

// What observe() sees after `up`: every service's container running in the project's pod.
void running_stack(FakeRuntime& rt, const Project& p) {
  std::string ps = "[";
  for (const auto& [name, s] : p.services)
    ps += (ps.size() > 1 ? "," : "") + container_json(p, name);
  rt.reply("ps", {0, ps + "]", ""});
  rt.reply("pod ps", {0,
                      R"([{"Id": "pod-id", "Name": ")" + p.name +
                          R"(", "Status": "Running", "Labels": {"io.qpod.config-hash": ")" +
                          podman::pod_hash(p) + R"("}}])",
                      ""});
  rt.reply("volume ls", {0, "[]", ""});
  rt.reply("network ls", {0, "[]", ""});
}

// web restarts when src/ changes (x-qpod), db is not watched; the repository is `dir`.
Project qpod_project(const TempDir& dir) {
  auto p = project("demo", {service("web"), service("db")});
  p.working_dir = dir.str();
  p.services.at("web").qpod = QpodService{"auto", {"src/"}};
  return p;
}

struct Loop {
  RecordingProgress progress;
  std::ostringstream out;
  RunOptions run;
  WatchLoopOptions options;
  Loop() { options.lock = false; }
  int operator()(const Project& p, podman::Runtime& rt, ChangeSource& source) {
    return watch_loop(p, rt, progress, source, options, run, out);
  }
};

}  // namespace

TEST_CASE("watch loop: a change restarts exactly the service that watches it", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  FakeRuntime rt;
  running_stack(rt, p);
  ScriptedSource source({fire("web", {dir.write("src/main.c")})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-web-1"});
  CHECK(loop.out.str() == "Restarting service web after 1 change was detected\n");
}

TEST_CASE("watch loop: a service watched only while it runs is left alone when it does not",
          "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  p.services.at("db").qpod = QpodService{"manual", {"src/"}};
  auto running_web = p;
  running_web.services.erase("db");  // observe sees web's container only
  FakeRuntime rt;
  running_stack(rt, running_web);
  ScriptedSource source(
      {fire("web", {dir.write("src/main.c")}), fire("db", {dir.write("src/main.c")})});
  Loop loop;
  loop.options.only_if_running = {"web", "db"};
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-web-1"});
  CHECK(loop.out.str() == "Restarting service web after 1 change was detected\n");
}

TEST_CASE("watch loop: changes during a restart give one more restart, not one each",
          "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  BlockingRuntime rt;
  running_stack(rt, p);
  const std::string file = dir.write("src/main.c");
  std::vector<ScriptedSource::Step> steps = {fire("web", {file})};
  // The next steps run while the first restart is held inside podman.
  steps.push_back([&] {
    rt.wait_entered();
    return std::vector<Fired>{{"web", {file}, false}};
  });
  for (int i = 0; i < 50; ++i) steps.push_back(fire("web", {dir / ("src/f" + std::to_string(i))}));
  steps.push_back([&] {
    rt.release();
    return std::vector<Fired>{};
  });
  ScriptedSource source(std::move(steps));
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-web-1", "restart demo-web-1"});
  CHECK(loop.out.str() ==
        "Restarting service web after 1 change was detected\n"
        "Restarting service web after 51 changes were detected\n");
}

TEST_CASE("watch loop: a change no rule takes does nothing", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  FakeRuntime rt;
  running_stack(rt, p);
  // Fired for web, but the path is outside src/ (the watcher's subscription was wider).
  ScriptedSource source({fire("web", {dir.write("README")}), fire("db", {dir.write("src/x")})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls().empty());
  CHECK(loop.out.str().empty());
}

TEST_CASE("watch loop: only the selected services act", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  p.services.at("db").qpod = QpodService{"auto", {"db/"}};
  FakeRuntime rt;
  running_stack(rt, p);
  ScriptedSource source({fire("web", {dir.write("src/a")}), fire("db", {dir.write("db/a")})});
  Loop loop;
  loop.options.services = {"db"};
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-db-1"});
}

TEST_CASE("watch loop: develop.watch sync copies into the container, then sync+restart restarts",
          "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web")});
  p.working_dir = dir.str();
  p.services.at("web").develop_watch = {{"sync", dir / "html", "/var/www", {}},
                                        {"sync+restart", dir / "conf", "/etc/web", {}}};
  FakeRuntime rt;
  running_stack(rt, p);
  const std::string page = dir.write("html/index.html");
  const std::string conf = dir.write("conf/web.conf");
  ScriptedSource source({fire("web", {page}), fire("web", {conf, dir / "html/old.html"})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("cp") == Calls{"cp " + page + " demo-web-1:/var/www/index.html",
                                         "cp " + conf + " demo-web-1:/etc/web/web.conf"});
  CHECK(rt.calls_starting("exec") == Calls{"exec demo-web-1 rm -rf -- /var/www/old.html"});
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-web-1"});
  CHECK(loop.out.str() ==
        "Syncing service web after 1 change was detected\n"
        "Syncing service web after 2 changes were detected\n"
        "Restarting service web after 2 changes were detected\n");
}

TEST_CASE("watch loop: sync+exec syncs, then runs its command in the container once a batch",
          "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web")});
  qpod::compose::ServiceHook reload;
  reload.command = {"nginx", "-s", "reload"};
  reload.user = "www";
  reload.working_dir = "/etc/nginx";
  reload.privileged = true;
  reload.environment = {{"MODE", "dev"}, {"TOKEN", std::nullopt}};
  p.services.at("web").develop_watch = {{"sync+exec", dir / "conf", "/etc/nginx", {}, reload},
                                        {"sync+exec", dir / "html", "/www", {}, reload}};
  FakeRuntime rt;
  running_stack(rt, p);
  rt.reply("exec --interactive --privileged", {0, "reloaded\n", ""});
  const std::string conf = dir.write("conf/a.conf"), page = dir.write("html/i.html");
  ScriptedSource source({fire("web", {conf, page}), fire("web", {conf})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  // Two rules with the same command: it runs once per batch, after the files are in place.
  const std::string exec =
      "exec --interactive --privileged --env MODE=dev --env TOKEN --user www --workdir "
      "/etc/nginx demo-web-1 nginx -s reload";
  CHECK(rt.calls_starting("exec") == Calls{exec, exec});
  CHECK(loop.out.str() ==
        "Syncing service web after 2 changes were detected\n"
        "Running exec for service web after 2 changes were detected\n"
        "web  | reloaded\n"
        "Syncing service web after 1 change was detected\n"
        "Running exec for service web after 1 change was detected\n"
        "web  | reloaded\n");

  // A failing command is reported with podman's words.
  FakeRuntime failing;
  running_stack(failing, p);
  failing.fail_on({"exec", "nginx"}, "Error: OCI runtime error: nginx: not found");
  ScriptedSource again({fire("web", {conf})});
  Loop loop2;
  CHECK(loop2(p, failing, again) == 0);  // the watch goes on
  bool named = false;
  for (const auto& l : loop2.progress.lines())
    named = named ||
            (l.find("web: exec: podman exec --interactive --privileged") != std::string::npos &&
             l.find("nginx: not found") != std::string::npos);
  CHECK(named);
}

TEST_CASE("watch loop: a failed sync skips the restart and says why", "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web")});
  p.services.at("web").develop_watch = {{"sync+restart", dir / "conf", "/etc/web", {}}};
  FakeRuntime rt;
  running_stack(rt, p);
  rt.reply("cp", {125, "", "Error: no container with name or ID demo-web-1"});
  ScriptedSource source({fire("web", {dir.write("conf/web.conf")})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);  // the watch goes on
  CHECK(rt.calls_starting("restart").empty());
  bool named = false;
  for (const auto& l : loop.progress.lines())
    named = named || l.find("no container with name or ID demo-web-1") != std::string::npos;
  CHECK(named);
}

TEST_CASE("watch loop: rebuild recreates that service only", "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web"), service("db")});
  depends(p, "web", "db");
  p.services.at("web").develop_watch = {{"rebuild", dir / "package.json", "", {}}};
  FakeRuntime rt;
  running_stack(rt, p);
  ScriptedSource source({fire("web", {dir.write("package.json")})});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("rm") == Calls{"rm --force --volumes demo-web-1"});
  for (const auto& c : rt.calls()) CHECK(c.find("demo-db-1") == std::string::npos);
  CHECK(loop.out.str() == "Rebuilding service web after 1 change was detected\n");
  CHECK(rt.calls_starting("image prune").empty());  // no build: no image was replaced
}

TEST_CASE("watch loop: a rebuilt image's predecessor is pruned, unless --no-prune",
          "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web")});
  p.services.at("web").image.clear();
  p.services.at("web").build = qpod::compose::Build{};
  p.services.at("web").build->context = dir.str();
  p.services.at("web").develop_watch = {{"rebuild", dir / "main.go", "", {}}};
  for (bool prune : {true, false}) {
    INFO("prune " << prune);
    FakeRuntime rt;
    running_stack(rt, p);
    ScriptedSource source({fire("web", {dir.write("main.go")})});
    Loop loop;
    loop.options.prune = prune;
    CHECK(loop(p, rt, source) == 0);
    CHECK(rt.calls_starting("build").size() == 1);
    CHECK(rt.calls_starting("image prune") ==
          (prune ? Calls{"image prune --force --filter label=io.qpod.project=demo"} : Calls{}));
  }
}

TEST_CASE("watch loop: lost events act on every rule", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  FakeRuntime rt;
  running_stack(rt, p);
  ScriptedSource source({[] { return std::vector<Fired>{{"web", {}, true}}; }});
  Loop loop;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart demo-web-1"});
  CHECK(loop.out.str() == "Restarting service web after events were lost\n");
}

TEST_CASE("watch loop: Ctrl-C ends it", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  FakeRuntime rt;
  std::atomic<bool> cancel{false};
  ScriptedSource source({[&] {
                           cancel = true;
                           return std::vector<Fired>{};
                         },
                         fire("web", {dir.write("src/a")})});
  Loop loop;
  loop.run.cancel = &cancel;
  CHECK(loop(p, rt, source) == 0);
  CHECK(rt.calls().empty());
}

TEST_CASE("watch: nothing to watch is an error, before anything is created", "[engine][watch]") {
  auto p = project("demo", {service("web")});
  FakeRuntime rt;
  RecordingProgress progress;
  std::ostringstream out;
  WatchLoopOptions o;
  o.lock = false;
  o.up = UpOptions{};
  CHECK(watch(p, rt, progress, o, {}, out) == 1);
  CHECK(rt.calls().empty());
  REQUIRE(progress.lines().size() == 1);
  CHECK(progress.lines()[0].find("none of the selected services is configured for watch") !=
        std::string::npos);
}

// An output whose first flush (after "Watch enabled") is a Ctrl-C.
struct CtrlCOnFlush : std::stringbuf {
  std::atomic<bool> cancel{false};
  int sync() override {
    cancel = true;
    return 0;
  }
};

TEST_CASE("watch: a manual service with watches is watched, up leaves it alone",
          "[engine][watch]") {
  TempDir dir;
  auto p = project("demo", {service("web"), service("tool")});
  p.working_dir = dir.str();
  p.services.at("web").qpod = QpodService{"auto", {}};
  p.services.at("tool").qpod = QpodService{"manual", {"src/"}};
  FakeRuntime rt;
  RecordingProgress progress;
  CtrlCOnFlush buf;
  std::ostream out(&buf);
  RunOptions run;
  run.cancel = &buf.cancel;
  WatchLoopOptions o;
  o.lock = false;
  o.up = UpOptions{};
  CHECK(watch(p, rt, progress, o, run, out) == 0);
  REQUIRE(rt.calls_starting("run").size() == 1);  // web only
  CHECK(rt.calls_starting("run")[0].find("--name demo-web-1") != std::string::npos);
  CHECK(buf.str() == "Watch enabled\n");
}

TEST_CASE("watch: up of the selected services, then the loop until Ctrl-C", "[engine][watch]") {
  TempDir dir;
  auto p = qpod_project(dir);
  p.services.at("db").qpod = QpodService{"auto", {"db/"}};
  FakeRuntime rt;
  RecordingProgress progress;
  CtrlCOnFlush buf;
  std::ostream out(&buf);
  RunOptions run;
  run.cancel = &buf.cancel;
  WatchLoopOptions o;
  o.lock = false;
  o.services = {"web"};
  SECTION("up first") {
    o.up = UpOptions{};
    o.up->services = {"web"};
    CHECK(watch(p, rt, progress, o, run, out) == 0);
    REQUIRE(rt.calls_starting("run").size() == 1);
    CHECK(rt.calls_starting("run")[0].find("--name demo-web-1") != std::string::npos);
    CHECK(buf.str() == "Watch enabled\n");
  }
  SECTION("--no-up") {
    CHECK(watch(p, rt, progress, o, run, out) == 0);
    CHECK(rt.calls().empty());
    CHECK(buf.str() == "Watch enabled\n");
  }
}

TEST_CASE("watch marker: held while its watch lives, a dead one's counts for nothing",
          "[engine][watch]") {
  const std::string name = "s7-marker-" + std::to_string(::getpid());
  CHECK(services_under_watch(name).empty());
  {
    auto web = WatchMarker::hold(name, {"web", "api"});
    REQUIRE(web);
    auto db = WatchMarker::hold(name, {"db"});
    REQUIRE(db);
    CHECK(services_under_watch(name) == std::set<std::string>{"api", "db", "web"});
    CHECK(services_under_watch(name + "x").empty());  // another project's
  }
  CHECK(services_under_watch(name).empty());
  // A watch killed with SIGKILL leaves its file, held by nobody.
  const std::string stale = podman::lock_dir() + "/" + name + ".watch.1-1-0";
  std::ofstream(stale) << "web\n";
  CHECK(services_under_watch(name).empty());
  CHECK_FALSE(std::filesystem::exists(stale));  // and it is cleared away
}

TEST_CASE("exec-env's command watch leaves to a running qpod watch the services it watches",
          "[engine][watch]") {
  TempDir dir;
  auto p = project("s7-cmdwatch-" + std::to_string(::getpid()), {service("web"), service("db")});
  p.working_dir = dir.str();
  p.services.at("web").qpod = QpodService{"auto", {"src/"}};
  p.services.at("db").qpod = QpodService{"auto", {"src/"}};
  dir.write("src/main.c", "v0\n");
  FakeRuntime rt;
  running_stack(rt, p);
  RecordingProgress progress;
  std::ostringstream say;
  {
    auto marker = WatchMarker::hold(p.name, {"web"});
    REQUIRE(marker);
    const CommandWatch around(p);
    dir.write("src/main.c", "v1 changed\n");
    CHECK(around.finish(rt, progress, {}, say) == 0);
    CHECK(rt.calls_starting("restart") == Calls{"restart " + p.name + "-db-1"});
    CHECK(say.str() ==
          "Leaving service web to the running qpod watch\n"
          "Restarting service db after 1 change was detected\n");
  }
  // The watch is gone: the command's changes are exec-env's to act on again.
  const CommandWatch again(p);
  dir.write("src/main.c", "v2 changed again\n");
  CHECK(again.finish(rt, progress, {}, say) == 0);
  CHECK(rt.calls_starting("restart") == Calls{"restart " + p.name + "-db-1",
                                              "restart " + p.name + "-db-1",
                                              "restart " + p.name + "-web-1"});
}
