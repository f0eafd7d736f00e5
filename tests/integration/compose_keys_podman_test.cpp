// Compose keys issue 11 §3 maps on real podman: deploy.restart_policy, scale (up --scale,
// qpod scale), post_start/pre_stop hooks. Checked with podman inspect, ps and exec.
#include <catch2/catch.hpp>
#include <string>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

std::string image_line() { return std::string("    image: ") + qpod::it::kImage + "\n"; }

// The names of the project's containers in its pod, sorted, one per line.
std::string pod_containers(const ProjectGuard& p) {
  auto r = qpod::it::podman({"ps", "--all", "--filter", "pod=" + p.name(), "--filter",
                             "label=io.qpod.service", "--format", "{{.Names}}", "--sort", "names"});
  return r.out;
}

}  // namespace

TEST_CASE("deploy.restart_policy becomes podman's restart policy", "[podman][keys]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5-restart-policy"));
  p.write("compose.yaml", "services:\n  retry:\n" + image_line() +
                              "    command: [sleep, '600']\n"
                              "    deploy:\n"
                              "      restart_policy: {condition: on-failure, max_attempts: 3}\n"
                              "  always:\n" +
                              image_line() +
                              "    command: [sleep, '600']\n"
                              "    restart: 'no'\n"
                              "    deploy:\n"
                              "      restart_policy: {condition: any, delay: 5s}\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.err.find("deploy.restart_policy.delay is ignored") != std::string::npos);
  const std::string policy =
      "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}";
  CHECK(inspect(p.name() + "-retry-1", policy) == "on-failure 3");
  CHECK(inspect(p.name() + "-always-1", policy) == "always 0");
}

TEST_CASE("up --scale runs N containers in the pod, qpod scale changes N", "[podman][scale]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5-scale"));
  p.write("compose.yaml", "services:\n  web:\n" + image_line() +
                              "    command: [sleep, '600']\n"
                              "    ports: ['80']\n");
  auto up = p.qpod({"up", "-d", "--scale", "web=3"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  const std::string n = p.name();
  CHECK(pod_containers(p) == n + "-web-1\n" + n + "-web-2\n" + n + "-web-3\n");
  // Port 80 in the pod's one network: only one of them can listen on it, and up says so.
  CHECK(up.err.find("service web runs 3 containers in one pod, which share its network: only one "
                    "of them can listen on each of its container ports 80/tcp (ports[0])") !=
        std::string::npos);
  CHECK(inspect(n + "-web-3", "{{index .Config.Labels \"com.docker.compose.container-number\"}}") ==
        "3");
  CHECK(inspect(n + "-web-3", "{{.State.Status}}") == "running");

  auto again = p.qpod({"up", "-d", "--scale", "web=3"});  // nothing to do
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("Started") == std::string::npos);

  auto down = p.qpod({"scale", "web=1"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(pod_containers(p) == n + "-web-1\n");

  // A published host port cannot be published by each of them: refused, nothing created.
  p.write("compose.yaml", "services:\n  web:\n" + image_line() +
                              "    command: [sleep, '600']\n"
                              "    ports: ['18099:80']\n");
  auto refused = p.qpod({"scale", "web=2"});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("compose.yaml:5:13: services.web.ports[0]: service web cannot run 2 "
                         "containers") != std::string::npos);
}

TEST_CASE("post_start runs in the started container, a failing one fails up", "[podman][hooks]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5-hooks"));
  p.write("compose.yaml",
          "services:\n  web:\n" + image_line() +
              "    command: [sleep, '600']\n"
              "    post_start:\n"
              "      - command: [sh, -c, 'echo \"$$GREETING from $$(pwd)\" > /tmp/hook']\n"
              "        working_dir: /etc\n"
              "        environment: {GREETING: hello}\n"
              "    pre_stop:\n"
              "      - command: [sh, -c, 'echo stopping > /tmp/stopping']\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  auto cat = qpod::it::podman({"exec", p.name() + "-web-1", "cat", "/tmp/hook"});
  CHECK(qpod::it::trim(cat.out) == "hello from /etc");
  auto stop = p.qpod({"stop"});
  INFO(stop.out << stop.err);
  REQUIRE(stop.exit_code == 0);
  // pre_stop ran in the container before it stopped: its file is in the stopped container.
  auto copied = qpod::it::podman({"cp", p.name() + "-web-1:/tmp/stopping", "-"});
  CHECK(copied.out.find("stopping") != std::string::npos);

  p.write("compose.yaml", "services:\n  web:\n" + image_line() +
                              "    command: [sleep, '600']\n"
                              "    post_start:\n"
                              "      - command: [sh, -c, 'echo no such setup >&2; exit 4']\n");
  auto failed = p.qpod({"up", "-d"});
  INFO(failed.out << failed.err);
  CHECK(failed.exit_code != 0);
  CHECK(failed.err.find("web: post_start[0] hook (sh -c echo no such setup >&2; exit 4) in " +
                        p.name() + "-web-1 failed (exit 4): no such setup") != std::string::npos);
}
