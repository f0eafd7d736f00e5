// kube generate --mode cluster: the initContainer that gates a service_healthy dependency, run as
// written (its image, command and env from the YAML) in a podman pod of the test image, where the
// dependency's Service name resolves to the pod's localhost: it keeps waiting while nothing
// listens on the port, and ends with 0 once something does.
#include <yaml-cpp/yaml.h>

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

YAML::Node wait_container(const std::string& yaml, const std::string& deployment) {
  for (const auto& d : YAML::LoadAll(yaml))
    if (d["kind"].as<std::string>() == "Deployment" &&
        d["metadata"]["name"].as<std::string>() == deployment)
      return d["spec"]["template"]["spec"]["initContainers"][0];
  return {};
}

}  // namespace

TEST_CASE("kube cluster: the service_healthy wait container waits until the Service port listens",
          "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-gate"));
  const std::string name = guard.name();
  guard.write("compose.yaml", R"(
x-kube:
  wait-image: localhost/qpod-busybox:latest
services:
  web:
    image: localhost/qpod-busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    expose: ["8080"]
    healthcheck: {test: ["CMD", "true"]}
  app:
    image: localhost/qpod-busybox:latest
    command: ["sleep", "600"]
    depends_on:
      web: {condition: service_healthy}
)");
  auto gen = guard.qpod({"kube", "generate", "--mode", "cluster"});
  REQUIRE(gen.ok());
  const YAML::Node wait = wait_container(gen.out, "app");
  REQUIRE(wait);
  REQUIRE(wait["image"].as<std::string>() == it::kImage);

  // The Service name (web) → the pod's localhost, as a cluster's DNS gives the Service address.
  REQUIRE(podman({"pod", "create", "--name", name, "--label", "io.qpod.project=" + name,
                  "--add-host", "web:127.0.0.1"})
              .ok());
  std::vector<std::string> run = {"run",    "-d",           "--pod",   name,
                                  "--name", name + "-wait", "--label", "io.qpod.project=" + name};
  for (const auto& e : wait["env"])
    run.push_back("--env=" + e["name"].as<std::string>() + "=" + e["value"].as<std::string>());
  run.push_back(wait["image"].as<std::string>());
  for (const auto& a : wait["command"]) run.push_back(a.as<std::string>());
  auto started = podman(run);
  REQUIRE(started.ok());

  // Nothing listens on 8080 yet: it says it waits, twice, and still runs.
  auto waited_twice = [&] {
    auto logs = podman({"logs", name + "-wait"});
    const std::string line = "waiting for web:8080";
    const auto first = logs.out.find(line);
    return first != std::string::npos && logs.out.find(line, first + 1) != std::string::npos;
  };
  REQUIRE(qpod::testing::eventually(waited_twice));
  CHECK(inspect(name + "-wait", "{{.State.Status}}") == "running");

  // The dependency comes up: the wait ends, with 0.
  REQUIRE(podman({"run", "-d", "--pod", name, "--name", name + "-web", "--label",
                  "io.qpod.project=" + name, it::kImage, "httpd", "-f", "-p", "8080"})
              .ok());
  REQUIRE(qpod::testing::eventually(
      [&] { return inspect(name + "-wait", "{{.State.Status}}") == "exited"; }));
  CHECK(inspect(name + "-wait", "{{.State.ExitCode}}") == "0");
}
