// kube generate → podman kube play (podman 4.3) → podman kube down: the YAML qpod writes runs
// unchanged, and what it says is what podman made.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

namespace it = qpod::it;
namespace testing = qpod::testing;
using qpod::it::inspect;
using qpod::it::podman;

namespace {

// What kube play made beside the pod (podman does not label it): removed at the end, by name.
struct KubeLeftovers {
  std::string pod;
  std::vector<std::string> volumes, secrets;
  ~KubeLeftovers() {
    podman({"pod", "rm", "--force", "--time", "0", pod});
    for (const auto& v : volumes) podman({"volume", "rm", "--force", v});
    for (const auto& s : secrets) podman({"secret", "rm", s});
  }
};

int port_for_test(int offset) { return 21000 + static_cast<int>(::getpid() % 4000) * 2 + offset; }

bool exists(const std::vector<std::string>& argv) { return podman(argv).ok(); }

}  // namespace

TEST_CASE("kube generate output runs unchanged with podman kube play, and kube down leaves nothing",
          "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-play"));
  const std::string name = guard.name();
  KubeLeftovers left{name, {}, {}};
  const int port = port_for_test(0);
  guard.write("compose.yaml", R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo hello-from-web > /www/index.html && httpd -f -p 8080 -h /www"]
    environment:
      GREETING: "hello: world"
      NUMBER: "8080"
    ports: [")" + std::to_string(port) +
                                  R"(:8080"]
    working_dir: /tmp
    healthcheck:
      test: ["CMD", "true"]
      interval: 7s
      retries: 2
  client:
    image: localhost/qpod-busybox:latest
    command: ["sleep", "600"]
    user: "1000"
    networks:
      default:
        aliases: [front]
)");
  auto gen = guard.qpod({"kube", "generate", "-o", "pod.yaml"});
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  const std::string file = (guard.dir() / "pod.yaml").string();

  auto play = podman({"kube", "play", file});
  INFO(play.out << play.err);
  REQUIRE(play.ok());
  const std::string web = name + "-web", client = name + "-client";

  CHECK(inspect(name, "{{.State}}", "pod") == "Running");
  CHECK(inspect(name,
                "{{range $p, $b := .InfraConfig.PortBindings}}{{$p}}={{range "
                "$b}}{{.HostPort}}{{end}}{{end}}",
                "pod") == "8080/tcp=" + std::to_string(port));
  const std::string env = inspect(web, "{{range .Config.Env}}{{println .}}{{end}}");
  CHECK(env.find("GREETING=hello: world\n") != std::string::npos);
  CHECK(env.find("NUMBER=8080\n") != std::string::npos);
  CHECK(inspect(web, "{{.Config.WorkingDir}}") == "/tmp");
  CHECK(inspect(client, "{{.Config.User}}") == "1000");
  CHECK(inspect(web, "{{.Config.Healthcheck.Interval}}") == "7s");
  CHECK(inspect(web, "{{.Config.Healthcheck.Retries}}") == "2");
  // The service names resolve (hostAliases → /etc/hosts) to the pod's shared localhost.
  std::string got;
  const bool served = testing::eventually(
      [&] {
        auto r = podman({"exec", client, "wget", "-q", "-O-", "http://web:8080/"});
        got = r.out;
        return r.ok() && got == "hello-from-web\n";
      },
      std::chrono::seconds(30));
  INFO(got);
  CHECK(served);
  auto hosts = podman({"exec", web, "cat", "/etc/hosts"});
  CHECK(hosts.out.find("127.0.0.1\tfront") != std::string::npos);

  auto down = podman({"kube", "down", file});
  INFO(down.err);
  CHECK(down.ok());
  CHECK_FALSE(exists({"pod", "exists", name}));
  CHECK_FALSE(exists({"container", "exists", web}));
  CHECK_FALSE(exists({"container", "exists", client}));
  CHECK(podman({"ps", "--all", "--quiet", "--filter", "name=" + name}).out.empty());
}

TEST_CASE(
    "qpod kube play and kube down: volumes, configs and secrets, and nothing left after down -v",
    "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-wrap"));
  const std::string name = guard.name();
  KubeLeftovers left{name, {name + "-data", name + "-appconf", name + "-token"}, {name + "-token"}};
  guard.write("app.conf", "level=debug\n");
  guard.write("token.txt", "s3cret\n");
  guard.write("compose.yaml", R"(
services:
  init:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo seeded >> /data/seed"]
    volumes: ["data:/data"]
  app:
    image: localhost/qpod-busybox:latest
    command: ["sleep", "600"]
    volumes: ["data:/data"]
    configs:
      - source: appconf
        target: /etc/app.conf
    secrets: [token]
    depends_on:
      init: {condition: service_completed_successfully}
volumes:
  data: {}
configs:
  appconf:
    file: ./app.conf
secrets:
  token:
    file: ./token.txt
)");
  auto play = guard.qpod({"kube", "play"});
  INFO(play.out << play.err);
  REQUIRE(play.exit_code == 0);
  const std::string app = name + "-app";
  CHECK(inspect(name, "{{.State}}", "pod") == "Running");
  // init ran first, as an init container, into the PVC's volume.
  auto seed = podman({"exec", app, "cat", "/data/seed"});
  CHECK(seed.out == "seeded\n");
  CHECK(exists({"volume", "exists", name + "-data"}));
  // podman 4.3 mounts a ConfigMap volume whole (subPath is not applied): the file is in it.
  auto conf = podman({"exec", app, "cat", "/etc/app.conf/appconf"});
  CHECK(conf.out == "level=debug\n");
  CHECK(podman({"secret", "inspect", name + "-token"}).ok());  // the Secret document's

  // down without -v keeps the data; a second play reuses it (podman would refuse the PVC).
  auto down = guard.qpod({"kube", "down"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK_FALSE(exists({"pod", "exists", name}));
  CHECK(exists({"volume", "exists", name + "-data"}));
  CHECK_FALSE(exists({"volume", "exists", name + "-appconf"}));
  CHECK_FALSE(podman({"secret", "inspect", name + "-token"}).ok());
  auto again = guard.qpod({"kube", "play"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  // The init container ran again, on the same data.
  CHECK(podman({"exec", app, "cat", "/data/seed"}).out == "seeded\nseeded\n");

  auto gone = guard.qpod({"kube", "down", "-v"});
  INFO(gone.err);
  CHECK(gone.exit_code == 0);
  CHECK_FALSE(exists({"pod", "exists", name}));
  for (const auto& v : {name + "-data", name + "-appconf", name + "-token"})
    CHECK_FALSE(exists({"volume", "exists", v}));
  CHECK_FALSE(podman({"secret", "inspect", name + "-token"}).ok());
  CHECK(podman({"ps", "--all", "--quiet", "--filter", "name=" + name}).out.empty());
}

TEST_CASE(
    "kube generate --mode cluster: podman kube play runs each Deployment's replicas, kube down "
    "removes them",
    "[podman]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("kube-cluster"));
  const std::string name = guard.name();
  // podman names a Deployment's pods DEPLOYMENT-pod-N: the service is named uniquely.
  const std::string svc = "kc" + std::to_string(::getpid());
  KubeLeftovers left{svc + "-pod-0", {name + "-data"}, {}};
  KubeLeftovers left1{svc + "-pod-1", {}, {}};
  guard.write("compose.yaml", R"(
services:
  )" + svc + R"(:
    image: localhost/qpod-busybox:latest
    command: ["sleep", "600"]
    environment: {ROLE: worker}
    ports: ["8080"]
    expose: ["9000"]
    volumes: ["data:/data"]
    deploy: {replicas: 2}
volumes:
  data: {}
)");
  auto gen = guard.qpod({"kube", "generate", "--mode", "cluster", "-o", "cluster.yaml"});
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  const std::string file = (guard.dir() / "cluster.yaml").string();
  auto play = podman({"kube", "play", file});
  INFO(play.out << play.err);
  REQUIRE(play.ok());
  for (const auto& pod : {svc + "-pod-0", svc + "-pod-1"}) {
    CHECK(inspect(pod, "{{.State}}", "pod") == "Running");
    // No host port: the Service reaches the port in a cluster (podman ignores Services).
    CHECK(inspect(pod, "{{len .InfraConfig.PortBindings}}", "pod") == "0");
  }
  auto env = podman({"exec", svc + "-pod-0-" + svc, "sh", "-c", "echo $ROLE"});
  CHECK(env.out == "worker\n");
  auto down = podman({"kube", "down", file});
  INFO(down.err);
  CHECK(down.ok());
  CHECK_FALSE(exists({"pod", "exists", svc + "-pod-0"}));
  CHECK_FALSE(exists({"pod", "exists", svc + "-pod-1"}));
}
