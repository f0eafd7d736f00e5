// depends_on inside one Pod (kube/pod_gates.h) under `podman kube play`, where the containers
// start together and the Pod has one restartPolicy: a dependency that exits before it is
// healthy fails its dependants (as compose's "dependency failed to start"), and a one-shot that
// completed is not run again when the Pod's restartPolicy Always restarts it.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

namespace it = qpod::it;
namespace testing = qpod::testing;
using qpod::it::inspect;
using qpod::it::podman;

namespace {

// What kube play made (podman labels none of it): removed by name at the end, whatever failed.
struct Played {
  std::string pod;
  std::vector<std::string> volumes;
  ~Played() {
    podman({"pod", "rm", "--force", "--time", "0", pod});
    for (const auto& v : volumes) podman({"volume", "rm", "--force", v});
  }
};

std::string logs(const std::string& container) {
  auto r = podman({"logs", container});
  return r.out + r.err;
}

bool has_status(const std::string& container, const std::string& status,
                std::chrono::seconds limit = std::chrono::seconds(120)) {
  return testing::eventually([&] { return inspect(container, "{{.State.Status}}") == status; },
                             limit);
}

// `qpod kube generate` of compose.yaml into pod.yaml, then `podman kube play` of it.
void generate_and_play(const it::ProjectGuard& guard, const std::string& compose) {
  guard.write("compose.yaml", compose);
  auto gen = guard.qpod({"kube", "generate", "-o", "pod.yaml"});
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  auto play = podman({"kube", "play", (guard.dir() / "pod.yaml").string()});
  INFO(play.out << play.err);
  REQUIRE(play.ok());
}

}  // namespace

TEST_CASE(
    "kube pod gates through podman kube play: a dependency that exits before it is healthy fails "
    "its dependants",
    "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-gate-crash"));
  const std::string name = guard.name();
  Played played{name, {name + "-qpod-gates"}};
  // db never becomes healthy and exits 3; app waits for it to be healthy, side to be started.
  generate_and_play(guard, R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "sleep 2; exit 3"]
    healthcheck:
      test: ["CMD", "test", "-e", "/never"]
      interval: 1s
      retries: 100
  app:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo app served; sleep 600"]
    depends_on:
      db: {condition: service_healthy}
  side:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo side up; sleep 600"]
    depends_on:
      db: {condition: service_started}
)");
  REQUIRE(has_status(name + "-db", "exited"));
  CHECK(inspect(name + "-db", "{{.State.ExitCode}}") == "3");  // the wrapper's is db's own
  // app stops waiting: it exits 1 with the reason, its own command never ran.
  REQUIRE(has_status(name + "-app", "exited"));
  CHECK(inspect(name + "-app", "{{.State.ExitCode}}") == "1");
  const std::string app_log = logs(name + "-app");
  INFO(app_log);
  CHECK(app_log.find("qpod-gate: dependency failed to start: db exited (3)") != std::string::npos);
  CHECK(app_log.find("app served") == std::string::npos);
  // service_started asks only that db started, as compose: side runs.
  CHECK(has_status(name + "-side", "running"));
  CHECK(testing::eventually(
      [&] { return logs(name + "-side").find("side up") != std::string::npos; }));
}

TEST_CASE(
    "kube pod gates through podman kube play: a completed one-shot is not run again under "
    "restartPolicy Always",
    "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-gate-once"));
  const std::string name = guard.name();
  Played played{name, {name + "-data", name + "-qpod-gates"}};
  // app's restart: always makes the Pod's restartPolicy Always; migrate has restart "no", and
  // is a wrapped container, not an initContainer (podman 4.3 would rerun that one too).
  const std::string compose = R"(
services:
  migrate:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo ran >> /data/runs"]
    volumes: ["data:/data"]
  app:
    image: localhost/qpod-busybox:latest
    restart: always
    command: ["sh", "-c", "echo app up; sleep 600"]
    volumes: ["data:/data"]
    depends_on:
      migrate: {condition: service_completed_successfully}
volumes:
  data: {}
)";
  generate_and_play(guard, compose);
  const std::string migrate = name + "-migrate";
  REQUIRE(has_status(name + "-app", "running"));
  CHECK(
      testing::eventually([&] { return logs(name + "-app").find("app up") != std::string::npos; }));
  // podman restarts the exited one-shot (restartPolicy Always): its wrapper sees it completed
  // in this Pod and stays idle instead of running it again.
  CHECK(testing::eventually(
      [&] {
        return logs(migrate).find("migrate completed successfully in this Pod already") !=
               std::string::npos;
      },
      std::chrono::seconds(120)));
  CHECK(inspect(migrate, "{{.State.Status}}") == "running");
  CHECK(inspect(migrate, "{{.RestartCount}}") != "0");
  auto runs = podman({"exec", name + "-app", "cat", "/data/runs"});
  CHECK(runs.out == "ran\n");

  // The markers are in the folder of this Pod's uid (QPOD_GATE_POD from metadata.uid).
  auto folders = podman({"exec", name + "-app", "ls", "/run/qpod-gates"});
  CHECK(folders.out == inspect(name, "{{.ID}}", "pod") + "\n");
  auto markers = podman({"exec", name + "-app", "ls", "/run/qpod-gates/" + it::trim(folders.out)});
  CHECK(markers.out == "migrate.exit\nmigrate.started\n");
}
