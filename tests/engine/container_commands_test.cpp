// kill / pause / unpause / rm: which containers each acts on, and what reaches podman.
#include "engine/container_commands.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Project demo() {
  auto p = project("demo", {service("db"), service("api"), service("web")});
  depends(p, "api", "db");
  depends(p, "web", "api");
  return p;
}

Observed observed(const compose::Project& p, const std::string& db, const std::string& api,
                  const std::string& web) {
  Observed o;
  o.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  o.containers = {container(p, "web", web), container(p, "db", db), container(p, "api", api)};
  return o;
}

// `podman ps --format json` for containers of project demo: {service, state}.
std::string ps_json(const std::vector<std::pair<std::string, std::string>>& cs) {
  std::string s = "[";
  for (const auto& [service, state] : cs) {
    if (s.size() > 1) s += ",";
    s += R"({"Id":"id-)" + service + R"(","Names":["demo-)" + service +
         R"(-1"],"Labels":{"io.qpod.project":"demo","io.qpod.service":")" + service +
         R"(","io.qpod.config-hash":"h"},"State":")" + state + R"("})";
  }
  return s + "]";
}

}  // namespace

TEST_CASE("kill: running and paused containers of the selected services, with the signal",
          "[engine][commands]") {
  auto p = demo();
  auto obs = observed(p, "running", "exited", "paused");
  CHECK(to_string(plan_kill(p, obs, {})) == "#1 kill db (SIGKILL)\n#2 kill web (SIGKILL)\n");
  KillOptions o;
  o.services = {"db"};
  o.signal = "SIGTERM";
  CHECK(to_string(plan_kill(p, obs, o)) == "#1 kill db (SIGTERM)\n");
  o.services = {"api"};
  CHECK(plan_kill(p, obs, o).empty());

  // An orphan (service gone from the file) only with --remove-orphans.
  obs.containers.push_back(container(p, "old", "running", "x"));
  CHECK(to_string(plan_kill(p, obs, {})) == "#1 kill db (SIGKILL)\n#2 kill web (SIGKILL)\n");
  KillOptions orphans;
  orphans.remove_orphans = true;
  CHECK(to_string(plan_kill(p, obs, orphans)) ==
        "#1 kill db (SIGKILL)\n#2 kill old (SIGKILL)\n#3 kill web (SIGKILL)\n");
}

TEST_CASE("pause acts on running containers, unpause on paused ones", "[engine][commands]") {
  auto p = demo();
  auto obs = observed(p, "running", "paused", "exited");
  CHECK(to_string(plan_pause(p, obs, {})) == "#1 pause db\n");
  CHECK(to_string(plan_unpause(p, obs, {})) == "#1 unpause api\n");
  CHECK(plan_unpause(p, obs, {"db", "web"}).empty());
}

TEST_CASE("rm: stopped containers only, --stop stops the running ones first, dependants first",
          "[engine][commands]") {
  auto p = demo();
  auto g = graph_of(p);
  auto obs = observed(p, "running", "exited", "created");
  CHECK(to_string(plan_rm(p, g, obs, {})) ==
        "#1 remove-keep-volumes api (exited)\n#2 remove-keep-volumes web (created)\n");
  RmOptions only_db;
  only_db.services = {"db"};
  CHECK(plan_rm(p, g, obs, only_db).empty());

  RmOptions stop;
  stop.stop = true;
  stop.volumes = true;
  auto all_running = observed(p, "running", "running", "exited");
  auto plan = plan_rm(p, g, all_running, stop);
  CHECK(to_string(plan) == R"(#1 stop api
#2 stop db after #1
#3 remove api (stopped) after #1
#4 remove db (stopped) after #2
#5 remove web (exited)
)");
  CHECK(removed_containers(plan) ==
        std::vector<std::string>{"demo-api-1", "demo-db-1", "demo-web-1"});
}

TEST_CASE("rm's confirmation accepts docker compose's yes answers", "[engine][commands]") {
  for (const char* yes : {"y", "Y", "yes", "true", "1", " t\n"}) CHECK(is_yes(yes));
  for (const char* no : {"", "n", "no", "false", "yep", "0"}) CHECK_FALSE(is_yes(no));
}

TEST_CASE("kill, rm and pause send one podman call per container", "[engine][commands]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("ps --all",
           {0, ps_json({{"db", "running"}, {"api", "exited"}, {"web", "running"}}), ""});
  RecordingProgress progress;
  std::ostringstream out, info;
  KillOptions k;
  k.signal = "SIGTERM";
  CHECK(kill(p, rt, progress, k, {}, out, info) == 0);
  auto kills = rt.calls_starting("kill");
  std::sort(kills.begin(), kills.end());
  CHECK(kills == Calls{"kill --signal SIGTERM demo-db-1", "kill --signal SIGTERM demo-web-1"});

  // Nothing to kill: said on the info stream, exit 0.
  k.services = {"api"};
  CHECK(kill(p, rt, progress, k, {}, out, info) == 0);
  CHECK(info.str() == "no container to kill\n");

  // rm asks first; "no" removes nothing.
  std::string asked;
  auto refuse = [&](const std::string& m) {
    asked = m;
    return false;
  };
  CHECK(rm(p, rt, progress, {}, refuse, {}, out, info) == 0);
  CHECK(asked == "Going to remove demo-api-1");
  CHECK(rt.calls_starting("rm").empty());
  CHECK(rm(
            p, rt, progress, {}, [](const std::string&) { return true; }, {}, out, info) == 0);
  CHECK(rt.calls_starting("rm") == Calls{"rm demo-api-1"});
  CHECK(pause(p, rt, progress, {"web"}, {}, out) == 0);
  CHECK(rt.calls_starting("pause") == Calls{"pause demo-web-1"});

  // A podman failure is reported with the container and podman's message.
  FakeRuntime paused;
  paused.reply("ps --all", {0, ps_json({{"web", "paused"}}), ""});
  paused.fail_on({"unpause"}, "Error: boom");
  CHECK(unpause(p, paused, progress, {}, {}, out) == 1);
  auto lines = progress.lines();
  CHECK(std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
          return l.find("web: podman unpause failed") != std::string::npos &&
                 l.find("boom") != std::string::npos;
        }) != lines.end());
}
