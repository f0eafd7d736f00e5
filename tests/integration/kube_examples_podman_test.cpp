// examples/ci-env and examples/devstack through `qpod kube generate` → `podman kube play`
// (podman 4.3, one Pod) → `qpod kube down -v`: depends_on is kept inside the Pod (pod_gates.h),
// the CI runner's exit code is visible, the dev stack answers, and nothing is left.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "podman/process.h"
#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

namespace it = qpod::it;
namespace testing = qpod::testing;
using qpod::it::inspect;
using qpod::it::podman;

namespace {

// What kube play made (podman labels none of it): removed by name at the end, whatever failed.
struct PlayedPod {
  std::string pod;
  std::vector<std::string> volumes;
  ~PlayedPod() {
    podman({"pod", "rm", "--force", "--time", "0", pod});
    for (const auto& v : volumes) podman({"volume", "rm", "--force", v});
  }
};

bool exists(const std::vector<std::string>& argv) { return podman(argv).ok(); }

bool exited(const std::string& container, std::chrono::seconds limit) {
  return testing::eventually([&] { return inspect(container, "{{.State.Status}}") == "exited"; },
                             limit);
}

// Nothing of the pod is left: the pod, its containers, the volumes kube play made.
void check_gone(const PlayedPod& played) {
  CHECK_FALSE(exists({"pod", "exists", played.pod}));
  CHECK(podman({"ps", "--all", "--quiet", "--filter", "name=^" + played.pod}).out.empty());
  for (const auto& v : played.volumes) {
    INFO(v);
    CHECK_FALSE(exists({"volume", "exists", v}));
  }
}

std::string ci_env() { return std::string(QPOD_SOURCE_DIR) + "/examples/ci-env/compose.yaml"; }

struct CiRun {
  std::string tests_exit, migrate_exit, app_exit, page, tests_log;
};

// ci-env (with the test runner) plus `override` through kube generate → podman kube play; waits
// for the runner to exit, reads what it needs, then qpod kube down -v.
CiRun run_ci_env(const std::string& test, const std::string& override) {
  it::require_podman();
  it::ProjectGuard guard(it::project_name(test));
  const std::string name = guard.name();
  PlayedPod played{name, {name + "-db-data", name + "-app-tmpfs", name + "-qpod-gates"}};
  guard.write("override.yaml", override);
  const std::vector<std::string> files{
      "-f", ci_env(), "-f", (guard.dir() / "override.yaml").string(), "--profile", "test"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), files.begin(), files.end());
    return guard.qpod(args);
  };
  auto gen = with({"kube", "generate", "-o", "pod.yaml"});
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  CHECK(gen.err.find("depends_on") == std::string::npos);  // every order is kept in the Pod
  auto play = podman({"kube", "play", (guard.dir() / "pod.yaml").string()});
  INFO(play.out << play.err);
  REQUIRE(play.ok());

  CiRun r;
  const std::string tests = name + "-tests";
  CHECK(exited(tests, std::chrono::seconds(240)));
  r.tests_exit = inspect(tests, "{{.State.ExitCode}}");
  const auto log = podman({"logs", tests});
  r.tests_log = log.out + log.err;
  r.migrate_exit = inspect(name + "-migrate", "{{.State.ExitCode}}");
  if (inspect(name + "-app", "{{.State.Status}}") == "running")
    r.page = podman({"exec", name + "-app", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"}).out;
  else
    r.app_exit = inspect(name + "-app", "{{.State.ExitCode}}");

  auto down = with({"kube", "down", "-v"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  check_gone(played);
  return r;
}

int port_base() { return 30000 + static_cast<int>(::getpid() % 4000) * 3; }

}  // namespace

TEST_CASE(
    "examples/ci-env through podman kube play: migrate after a healthy db, the runner's exit code "
    "0, nothing left",
    "[podman]") {
  auto r = run_ci_env("kube-ci", "services: {}\n");
  INFO(r.tests_log);
  CHECK(r.migrate_exit == "0");
  CHECK(r.page == "app up, schema 2\n");  // app fetched what migrate wrote: it ran after it
  CHECK(r.tests_exit == "0");
  CHECK(r.tests_log.find("qpod-gate: waiting for app to be healthy") != std::string::npos);
}

TEST_CASE("examples/ci-env through podman kube play: a runner whose check fails exits non-zero",
          "[podman]") {
  // The migration writes another schema: the app serves it, the runner's grep fails.
  auto r = run_ci_env("kube-ci-fail", R"(
services:
  migrate:
    command: ["sh", "-c", "echo 'schema 3' > /data/schema.txt && wget -q -O - \"$$DB_URL/schema.txt\" | grep -qx 'schema 3'"]
)");
  CHECK(r.migrate_exit == "0");
  CHECK(r.page == "app up, schema 3\n");
  CHECK(r.tests_exit == "1");
}

TEST_CASE(
    "examples/ci-env through podman kube play: a failed migration stops the app and the runner",
    "[podman]") {
  auto r = run_ci_env("kube-ci-broken", R"(
services:
  migrate:
    command: ["sh", "-c", "exit 4"]
)");
  CHECK(r.migrate_exit == "4");
  CHECK(r.app_exit == "1");  // its wait failed: it never served
  CHECK(r.tests_exit == "1");
  CHECK(r.tests_log.find("dependency failed to start: app exited (1)") != std::string::npos);
}

TEST_CASE(
    "examples/devstack through podman kube play: nginx 200, ZooKeeper srvr, Prometheus ready, "
    "nothing left",
    "[podman]") {
  it::require_podman();
  for (const char* image :
       {"localhost/qpod-devstack-nginx:latest", "localhost/qpod-devstack-zookeeper:latest",
        "localhost/qpod-devstack-prometheus:latest"})
    if (!exists({"image", "exists", image}))
      FAIL(image << " is missing: scripts/build-devstack-images builds the dev stack's images");
  const std::string curl = qpod::podman::find_in_path("curl");
  if (curl.empty()) FAIL("this test reads the published ports with curl: apt-get install -y curl");
  it::ProjectGuard guard(it::project_name("kube-devstack"));
  const std::string name = guard.name();
  PlayedPod played{name,
                   {name + "-zookeeper-data", name + "-prometheus-data", name + "-qpod-gates"}};
  // Ports of its own: a running demo (8080, 2181, 9090) and other tests are left alone.
  const int web = port_base(), zookeeper = web + 1, dashboard = web + 2;
  guard.write("ports.env", "DEVSTACK_WEB_PORT=" + std::to_string(web) +
                               "\nDEVSTACK_ZOOKEEPER_PORT=" + std::to_string(zookeeper) +
                               "\nDEVSTACK_DASHBOARD_PORT=" + std::to_string(dashboard) + "\n");
  const std::vector<std::string> files{
      "-f", std::string(QPOD_SOURCE_DIR) + "/examples/devstack/compose.yaml", "--env-file",
      (guard.dir() / "ports.env").string()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), files.begin(), files.end());
    return guard.qpod(args);
  };
  auto gen = with({"kube", "generate", "-o", "pod.yaml"});
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  CHECK(gen.err.find("depends_on") == std::string::npos);  // the images' argv were read
  auto play = podman({"kube", "play", (guard.dir() / "pod.yaml").string()});
  INFO(play.out << play.err);
  REQUIRE(play.ok());

  auto get = [&](int port, const std::string& path) {
    return qpod::podman::run_process(curl, {"-sS", "-m", "5", "-w", "\n%{http_code}",
                                            "http://127.0.0.1:" + std::to_string(port) + path});
  };
  std::string page;
  CHECK(testing::eventually(
      [&] {
        auto r = get(web, "/");
        page = r.out;
        return r.ok() && page.size() >= 4 && page.substr(page.size() - 4) == "\n200";
      },
      std::chrono::seconds(300)));
  INFO(page);
  CHECK(page.find("<title>") != std::string::npos);
  // nginx started after both were healthy, as up starts it.
  const auto logs = podman({"logs", name + "-web"});
  const std::string web_log = logs.out + logs.err;
  CHECK(web_log.find("qpod-gate: waiting for zookeeper to be healthy") != std::string::npos);
  CHECK(web_log.find("qpod-gate: waiting for dashboard to be healthy") != std::string::npos);
  // In the folder of the Pod's uid (pod_gates.h).
  auto markers = podman({"exec", name + "-web", "ls", "-R", "/run/qpod-gates"});
  CHECK(markers.out.find("zookeeper.healthy") != std::string::npos);
  CHECK(markers.out.find("dashboard.healthy") != std::string::npos);

  auto srvr = qpod::podman::run_process(
      "/bin/bash", {"-c", "exec 3<>/dev/tcp/127.0.0.1/$0 && printf srvr >&3 && cat <&3",
                    std::to_string(zookeeper)});
  INFO(srvr.out << srvr.err);
  CHECK(srvr.out.find("Mode: standalone") != std::string::npos);
  auto ready = get(dashboard, "/-/ready");
  INFO(ready.out << ready.err);
  CHECK(ready.out.find("\n200") != std::string::npos);
  CHECK(ready.out.find("Ready") != std::string::npos);

  auto down = with({"kube", "down", "-v"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  check_gone(played);
}
