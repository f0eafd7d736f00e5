// The engine on real podman, with projects built in code (independent of the loader).
#include <catch2/catch.hpp>
#include <sstream>

#include "engine/operations.h"
#include "podman/podman_cli.h"
#include "tests/engine/test_project.h"
#include "tests/integration/podman_fixture.h"

using namespace qpod;
using namespace qpod::engine;
using namespace std::chrono_literals;
using engine::testing::depends;
using engine::testing::project;
using it::inspect;

namespace {

compose::Service sleeper(const std::string& name) {
  auto s = engine::testing::service(name, {"sleep", "600"});
  s.init = true;  // sleep as PID 1 ignores SIGTERM
  return s;
}

struct Run {
  int code;
  std::vector<std::string> progress;
  std::string plan;
};

Run up(const compose::Project& p, UpOptions o = {}, bool dry_run = false) {
  podman::PodmanCli rt;
  RecordingProgress progress;
  std::ostringstream plan;
  RunOptions run;
  run.dry_run = dry_run;
  int code = engine::up(p, rt, progress, o, run, plan);
  return {code, progress.lines(), plan.str()};
}

Run down(const compose::Project& p, DownOptions o = {}) {
  podman::PodmanCli rt;
  RecordingProgress progress;
  std::ostringstream plan;
  o.timeout_s = o.timeout_s.value_or(2);
  int code = engine::down(p, rt, progress, o, {}, plan);
  return {code, progress.lines(), plan.str()};
}

std::int64_t started_ns(const std::string& container) {
  auto text = inspect(container, "{{.State.StartedAt.UnixNano}}");
  return text.empty() ? 0 : std::stoll(text);
}

// service_hash hashes the normalized node (what `config` prints): tests change it too.
void set_node(compose::Service& s, const std::string& text) {
  s.node = compose::Node::string(text);
}

bool service_hash_is_real() {
  auto a = engine::testing::service("a"), b = a;
  set_node(a, "x");
  set_node(b, "y");
  return compose::service_hash(a) != compose::service_hash(b);
}

}  // namespace

TEST_CASE("engine on podman: up, a no-op second up, down", "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("basic"));
  int port = 20000 + getpid() % 10000;
  auto web = sleeper("web");
  web.environment = {{"GREETING", "hello world"}, {"EMPTY", ""}};
  web.labels = {{"tier", "front"}};
  web.restart = "unless-stopped";
  web.ports.push_back({"", "127.0.0.1", std::to_string(port), 80, "tcp", "", "ingress"});
  auto p = project(guard.name(), {sleeper("db"), web});
  p.services.at("db").networks["default"].aliases = {"database"};

  auto first = up(p);
  REQUIRE(first.code == 0);
  std::string ctr = guard.name() + "-web-1";
  CHECK(inspect(ctr, "{{.State.Status}}") == "running");
  CHECK(inspect(ctr, "{{index .Config.Labels \"io.qpod.project\"}}") == guard.name());
  CHECK(inspect(ctr, "{{index .Config.Labels \"io.qpod.service\"}}") == "web");
  CHECK(inspect(ctr, "{{index .Config.Labels \"com.docker.compose.service\"}}") == "web");
  CHECK(inspect(ctr, "{{index .Config.Labels \"tier\"}}") == "front");
  CHECK(inspect(ctr, "{{.HostConfig.RestartPolicy.Name}}") == "unless-stopped");
  auto env = inspect(ctr, "{{range .Config.Env}}{{.}};{{end}}");
  CHECK(env.find("GREETING=hello world;") != std::string::npos);
  CHECK(env.find("EMPTY=;") != std::string::npos);
  CHECK(inspect(ctr, "{{.Pod}}") == inspect(guard.name(), "{{.Id}}", "pod"));
  CHECK(inspect(guard.name(), "{{index .Labels \"io.qpod.project\"}}", "pod") == guard.name());
  auto ports = inspect(guard.name(), "{{json .InfraConfig.PortBindings}}", "pod");
  CHECK(ports.find("\"80/tcp\"") != std::string::npos);
  CHECK(ports.find(std::to_string(port)) != std::string::npos);
  // Every service name and alias resolves to the pod itself.
  auto hosts = it::podman({"exec", ctr, "cat", "/etc/hosts"}).out;
  CHECK(hosts.find("127.0.0.1\tdb") != std::string::npos);
  CHECK(hosts.find("127.0.0.1\tdatabase") != std::string::npos);

  auto id = inspect(ctr, "{{.Id}}");
  auto second = up(p);
  CHECK(second.code == 0);
  // nothing done: each container is only said to be Running, as docker compose says it
  CHECK(second.progress == std::vector<std::string>{"Container " + guard.name() + "-db-1 Running",
                                                    "Container " + ctr + " Running"});
  CHECK(inspect(ctr, "{{.Id}}") == id);
  CHECK(up(p, {}, true).plan == "");

  auto gone = down(p);
  CHECK(gone.code == 0);
  CHECK(guard.leftovers() == "");
}

TEST_CASE("engine on podman: a chain starts in dependency order", "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("chain"));
  auto p = project(guard.name(), {sleeper("a"), sleeper("b"), sleeper("c"), sleeper("d")});
  depends(p, "b", "a");
  depends(p, "c", "b");
  depends(p, "d", "c");
  REQUIRE_REAL_GRAPH(p, "d", "c");
  REQUIRE(up(p).code == 0);
  auto at = [&](const char* s) { return started_ns(guard.name() + "-" + s + "-1"); };
  CHECK(at("a") > 0);
  CHECK(at("a") < at("b"));
  CHECK(at("b") < at("c"));
  CHECK(at("c") < at("d"));
  CHECK(down(p).code == 0);
  CHECK(guard.leftovers() == "");
}

TEST_CASE("engine on podman: service_healthy waits for the health check", "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("healthy"));
  auto db =
      engine::testing::service("db", {"sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 600"});
  db.init = true;
  compose::Healthcheck hc;
  hc.test = {"CMD", "test", "-f", "/tmp/ready"};
  hc.interval = 500ms;
  hc.retries = 10;
  db.healthcheck = hc;
  auto p = project(guard.name(), {db, sleeper("web")});
  depends(p, "web", "db", "service_healthy");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  auto r = up(p);
  REQUIRE(r.code == 0);
  CHECK(std::count(r.progress.begin(), r.progress.end(),
                   "Container " + guard.name() + "-db-1 Healthy") == 1);
  auto db_at = started_ns(guard.name() + "-db-1");
  auto web_at = started_ns(guard.name() + "-web-1");
  CHECK(web_at - db_at > 2'000'000'000LL);  // web waited for /tmp/ready
  CHECK(down(p).code == 0);
}

TEST_CASE("engine on podman: an unhealthy dependency fails up with its output",
          "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("unhealthy"));
  auto db = sleeper("db");
  compose::Healthcheck hc;
  hc.test = {"CMD-SHELL", "echo not ready yet; exit 1"};
  hc.interval = 200ms;
  hc.retries = 2;
  db.healthcheck = hc;
  auto p = project(guard.name(), {db, sleeper("web")});
  depends(p, "web", "db", "service_healthy");
  REQUIRE_REAL_GRAPH(p, "web", "db");
  auto r = up(p);
  CHECK(r.code == 1);
  bool reported = false;
  for (const auto& line : r.progress)
    reported |=
        line.find("db: dependency db is unhealthy (exit 1: not ready yet)") != std::string::npos;
  CHECK(reported);
  // web was created, never started: this up made the pod, and its rollback took all of it.
  CHECK(guard.leftovers() == "");
}

TEST_CASE("engine on podman: service_completed_successfully", "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("completed"));
  auto migrate = engine::testing::service("migrate", {"sh", "-c", "sleep 1; exit 0"});
  auto p = project(guard.name(), {migrate, sleeper("web")});
  depends(p, "web", "migrate", "service_completed_successfully");
  REQUIRE_REAL_GRAPH(p, "web", "migrate");
  REQUIRE(up(p).code == 0);
  auto finished = inspect(guard.name() + "-migrate-1", "{{.State.FinishedAt.UnixNano}}");
  CHECK(started_ns(guard.name() + "-web-1") > std::stoll(finished));

  auto failing =
      project(guard.name(), {engine::testing::service("migrate", {"false"}), sleeper("web")});
  depends(failing, "web", "migrate", "service_completed_successfully");
  UpOptions force;
  force.force_recreate = true;
  auto r = up(failing, force);
  CHECK(r.code == 1);
  CHECK(inspect(guard.name() + "-web-1", "{{.State.Status}}") != "running");
}

TEST_CASE("engine on podman: a failing start reports podman's stderr", "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("failing"));
  auto p = project(guard.name(), {engine::testing::service("bad", {"/no/such/binary"})});
  auto r = up(p);
  CHECK(r.code == 1);
  bool reported = false;
  for (const auto& line : r.progress)
    reported |= line.rfind("ERROR bad: podman run failed", 0) == 0 &&
                line.find("/no/such/binary") != std::string::npos;
  CHECK(reported);
  CHECK(down(p).code == 0);
  CHECK(guard.leftovers() == "");
}

TEST_CASE("engine on podman: a changed service is recreated, and only it", "[podman][engine]") {
  it::require_podman();
  REQUIRE(service_hash_is_real());
  it::ProjectGuard guard(it::project_name("recreate"));
  auto p = project(guard.name(), {sleeper("db"), sleeper("web")});
  REQUIRE(up(p).code == 0);
  auto db_id = inspect(guard.name() + "-db-1", "{{.Id}}");
  auto web_id = inspect(guard.name() + "-web-1", "{{.Id}}");
  p.services.at("web").environment["CHANGED"] = "1";
  set_node(p.services.at("web"), "web with CHANGED=1");
  REQUIRE(up(p).code == 0);
  CHECK(inspect(guard.name() + "-db-1", "{{.Id}}") == db_id);
  auto new_web = inspect(guard.name() + "-web-1", "{{.Id}}");
  CHECK(new_web != web_id);
  CHECK(inspect(guard.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(down(p).code == 0);
}

TEST_CASE("engine on podman: named volumes are created, labelled, removed by down -v",
          "[podman][engine]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("volumes"));
  auto s = engine::testing::service("db", {"sh", "-c", "echo hi > /data/f; exec sleep 600"});
  s.init = true;
  compose::Mount m;
  m.type = "volume";
  m.source = "data";
  m.target = "/data";
  s.volumes = {m};
  auto p = project(guard.name(), {s});
  p.volumes["data"].name = guard.name() + "_data";
  REQUIRE(up(p).code == 0);
  auto labels =
      it::podman({"volume", "inspect", "--format", "{{json .Labels}}", guard.name() + "_data"});
  CHECK(labels.out.find("\"io.qpod.project\":\"" + guard.name() + "\"") != std::string::npos);
  CHECK(down(p).code == 0);
  CHECK(it::podman({"volume", "exists", guard.name() + "_data"}).ok());  // kept without -v
  DownOptions v;
  v.volumes = true;
  CHECK(down(p, v).code == 0);
  CHECK_FALSE(it::podman({"volume", "exists", guard.name() + "_data"}).ok());
  CHECK(guard.leftovers() == "");
}
