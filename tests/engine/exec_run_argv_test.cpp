// The argv of `qpod exec` and `qpod run` (podman_argv's exec/run section), and pod_only plans.
#include <catch2/catch.hpp>

#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "podman/runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

TEST_CASE("container exec: options, the container by index, the command", "[engine][argv][qenv]") {
  auto p = project("demo", {service("web")});
  const auto& s = p.services.at("web");
  podman::ExecArgs a;
  a.tty = true;
  a.env = {"A=b"};
  a.user = "1:2";
  a.workdir = "/tmp";
  a.marker = "QPOD_EXEC_ID=9";
  CHECK(podman::join_argv(podman::container_exec(p, s, a, {"sh", "-c", "exit 3"})) ==
        "exec --interactive --tty --env A=b --env QPOD_EXEC_ID=9 --user 1:2 --workdir /tmp "
        "demo-web-1 sh -c exit 3");
  podman::ExecArgs d;
  d.detach = true;
  d.index = 2;
  CHECK(podman::join_argv(podman::container_exec(p, s, d, {"true"})) ==
        "exec --interactive --detach demo-web-2 true");
}

TEST_CASE("container run one-off: the service's flags, overrides, one-off labels, no restart",
          "[engine][argv][qenv]") {
  auto web = service("web", {"httpd", "-f"});
  web.restart = "always";
  web.environment["KEEP"] = "1";
  web.tty = true;
  auto p = project("demo", {web});
  podman::OneoffArgs a;
  a.rm = true;
  a.env = {"X=y"};
  a.entrypoint = "sh";
  a.user = "0";
  a.workdir = "/w";
  a.command = std::vector<std::string>{"-c", "exit 5"};
  const std::string argv =
      podman::join_argv(podman::container_run_oneoff(p, p.services.at("web"), a, "abc"));
  CHECK(argv.starts_with("run --rm --interactive --name demo-web-run-abc --pod demo "));
  CHECK(argv.find("io.qpod.oneoff=True") != std::string::npos);
  CHECK(argv.find("com.docker.compose.oneoff=True") != std::string::npos);
  CHECK(argv.find("oneoff=False") == std::string::npos);
  CHECK(argv.find("--restart") == std::string::npos);
  CHECK(argv.find("--tty") == std::string::npos);
  CHECK(argv.find("--env KEEP=1 --env X=y --entrypoint [\"sh\"] --workdir /w --user 0 ") !=
        std::string::npos);
  CHECK(argv.ends_with(" localhost/qpod-busybox:latest -c exit 5"));

  podman::OneoffArgs d;
  d.detach = true;
  d.tty = false;
  d.name = "mine";
  const std::string detached =
      podman::join_argv(podman::container_run_oneoff(p, p.services.at("web"), d, "x"));
  CHECK(detached.starts_with("run --detach --name mine "));
  CHECK(detached.ends_with(" httpd -f"));
}

TEST_CASE("plan_up pod_only: the pod, no service", "[engine][planner][qenv]") {
  auto p = project("demo", {service("db"), service("web")});
  auto g = graph::ServiceGraph::build(p);
  REQUIRE(g);
  UpOptions o;
  o.pod_only = true;
  Plan plan = plan_up(p, *g, Observed{}, o);
  const std::string text = to_string(plan);
  CHECK(text.find("pod") != std::string::npos);
  CHECK(text.find("db") == std::string::npos);
  CHECK(text.find("web") == std::string::npos);
}
