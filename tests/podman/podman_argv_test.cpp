#include "podman/podman_argv.h"

#include <catch2/catch.hpp>

#include "podman/runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;
using namespace std::chrono_literals;

namespace {

std::string hash_of(const compose::Service& s) { return compose::service_hash(s); }

}  // namespace

TEST_CASE("pod create: ports of every service, hosts for every name, labels", "[engine][argv]") {
  auto db = service("db");
  db.ports.push_back({"", "", "5432", 5432, "tcp", "", "ingress"});
  db.networks["default"].aliases = {"database"};
  auto web = service("web");
  web.ports.push_back({"", "127.0.0.1", "8080", 80, "tcp", "", "ingress"});
  web.ports.push_back({"", "", "", 9000, "udp", "", "ingress"});
  web.hostname = "www";
  web.extra_hosts = {"gw=10.0.0.1"};
  auto p = project("demo", {db, web});
  CHECK(podman::join_argv(podman::pod_create(p)) ==
        "pod create --name demo --infra --infra-name demo-infra"
        " --label io.qpod.project=demo --label com.docker.compose.project=demo"
        " --label io.qpod.version=0.1.0 --label io.qpod.working-dir=/src/demo"
        " --label io.qpod.config-files=/src/demo/compose.yaml"
        " -p 5432:5432 -p 127.0.0.1:8080:80 -p 9000/udp"
        " --add-host database:127.0.0.1 --add-host db:127.0.0.1 --add-host web:127.0.0.1"
        " --add-host www:127.0.0.1 --add-host gw:10.0.0.1"
        " --label io.qpod.config-hash=" +
            podman::pod_hash(p));
}

TEST_CASE("pod hash: changes with ports and names, not with the version or files",
          "[engine][argv]") {
  auto p = project("demo", {service("db")});
  std::string h = podman::pod_hash(p);
  auto moved = p;
  moved.working_dir = "/elsewhere";
  CHECK(podman::pod_hash(moved) == h);
  auto ported = p;
  ported.services.at("db").ports.push_back({"", "", "5432", 5432, "tcp", "", "ingress"});
  CHECK(podman::pod_hash(ported) != h);
  auto more = project("demo", {service("db"), service("cache")});
  CHECK(podman::pod_hash(more) != h);
}

TEST_CASE("pod create: project networks when services use them", "[engine][argv]") {
  auto a = service("a");
  a.networks["front"];
  auto p = project("demo", {a, service("b")});
  p.networks["front"].name = "demo_front";
  CHECK(podman::pod_networks(p) == std::vector<std::string>{"front"});
  auto argv = podman::pod_create(p);
  CHECK(std::find(argv.begin(), argv.end(), "demo_front") - argv.begin() > 0);
  CHECK(podman::join_argv(podman::network_create(p, "front")) ==
        "network create --label io.qpod.project=demo --label com.docker.compose.project=demo"
        " --label io.qpod.version=0.1.0 --label io.qpod.working-dir=/src/demo"
        " --label io.qpod.config-files=/src/demo/compose.yaml --label io.qpod.network=front"
        " demo_front");

  // The implicit default network (as normalize declares it) leaves the pod on podman's own.
  auto only_default = service("c");
  only_default.networks["default"];
  auto implicit = project("demo", {only_default});
  CHECK(podman::pod_networks(implicit).empty());
  implicit.networks["default"].name = "demo_default";
  CHECK(podman::pod_networks(implicit).empty());
  implicit.networks["default"].driver = "bridge";
  CHECK(podman::pod_networks(implicit) == std::vector<std::string>{"default"});
}

TEST_CASE("container create: a minimal service", "[engine][argv]") {
  auto p = project("demo", {service("web", {"httpd", "-f"})});
  const auto& s = p.services.at("web");
  CHECK(podman::container_create(p, s) ==
        podman::Argv{"create",
                     "--name",
                     "demo-web-1",
                     "--pod",
                     "demo",
                     "--label",
                     "io.qpod.project=demo",
                     "--label",
                     "com.docker.compose.project=demo",
                     "--label",
                     "io.qpod.version=0.1.0",
                     "--label",
                     "io.qpod.working-dir=/src/demo",
                     "--label",
                     "io.qpod.config-files=/src/demo/compose.yaml",
                     "--label",
                     "io.qpod.service=web",
                     "--label",
                     "com.docker.compose.service=web",
                     "--label",
                     "io.qpod.config-hash=" + hash_of(s),
                     "--label",
                     "io.qpod.oneoff=False",
                     "--label",
                     "com.docker.compose.oneoff=False",
                     "--label",
                     "com.docker.compose.container-number=1",
                     "localhost/qpod-busybox:latest",
                     "httpd",
                     "-f"});
}

TEST_CASE("container create: every mapped key", "[engine][argv]") {
  auto s = service("db", {"postgres", "-c", "fsync=off"});
  s.container_name = "the-db";
  s.labels = {{"tier", "data"}};
  s.environment = {{"PGDATA", "/var/lib/pg data"}, {"UNSET", std::nullopt}};
  s.entrypoint = std::vector<std::string>{"/bin/sh", "-c"};
  s.working_dir = "/work";
  s.user = "1000:1000";
  s.restart = "on-failure:3";
  s.stop_signal = "SIGINT";
  s.stop_grace_period = 1500ms;
  s.init = true;
  s.cap_add = {"NET_ADMIN"};
  s.cap_drop = {"ALL"};
  s.ulimits["nofile"] = {1024, 2048};
  s.ulimits["nproc"] = {512, 512};
  s.read_only = true;
  s.tty = true;
  s.stdin_open = true;
  compose::Mount bind;
  bind.type = "bind";
  bind.source = "/src/demo/data";
  bind.target = "/data";
  bind.read_only = true;
  compose::Mount vol;
  vol.type = "volume";
  vol.source = "pg";
  vol.target = "/var/lib/pg";
  compose::Mount anon;
  anon.type = "volume";
  anon.target = "/cache";
  compose::Mount tmp;
  tmp.type = "tmpfs";
  tmp.target = "/run";
  tmp.tmpfs_size = 65536;
  s.volumes = {bind, vol, anon, tmp};
  compose::Healthcheck hc;
  hc.test = {"CMD", "pg_isready", "-U", "postgres"};
  hc.interval = 1s;
  hc.timeout = 500ms;
  hc.start_period = 2s;
  hc.retries = 5;
  s.healthcheck = hc;
  auto p = project("demo", {s});
  p.volumes["pg"].name = "demo_pg";
  CHECK(podman::join_argv(podman::container_create(p, p.services.at("db"))) ==
        "create --name the-db --pod demo --label tier=data"
        " --label io.qpod.project=demo --label com.docker.compose.project=demo"
        " --label io.qpod.version=0.1.0 --label io.qpod.working-dir=/src/demo"
        " --label io.qpod.config-files=/src/demo/compose.yaml"
        " --label io.qpod.service=db --label com.docker.compose.service=db"
        " --label io.qpod.config-hash=" +
            hash_of(p.services.at("db")) +
            " --label io.qpod.oneoff=False --label com.docker.compose.oneoff=False"
            " --label com.docker.compose.container-number=1"
            " --env PGDATA=/var/lib/pg data --entrypoint [\"/bin/sh\",\"-c\"] --workdir /work"
            " --user 1000:1000 --restart on-failure:3 --stop-signal SIGINT --stop-timeout 2"
            " --init --cap-add NET_ADMIN --cap-drop ALL --ulimit nofile=1024:2048"
            " --ulimit nproc=512:512 --read-only --tty --interactive"
            " --volume /src/demo/data:/data:ro --volume demo_pg:/var/lib/pg --volume /cache"
            " --tmpfs /run:size=65536"
            " --health-cmd [\"pg_isready\",\"-U\",\"postgres\"] --health-interval 1s"
            " --health-timeout 500ms --health-start-period 2s --health-retries 5"
            " localhost/qpod-busybox:latest postgres -c fsync=off");
}

TEST_CASE("container create: shell health checks and disabled ones", "[engine][argv]") {
  auto s = service("web");
  s.healthcheck = compose::Healthcheck{};
  s.healthcheck->test = {"CMD-SHELL", "wget -q -O- localhost || exit 1"};
  auto p = project("demo", {s});
  auto argv = podman::container_create(p, p.services.at("web"));
  auto it = std::find(argv.begin(), argv.end(), "--health-cmd");
  REQUIRE(it != argv.end());
  CHECK(*(it + 1) == "[\"CMD-SHELL\",\"wget -q -O- localhost || exit 1\"]");

  p.services.at("web").healthcheck->disable = true;
  argv = podman::container_create(p, p.services.at("web"));
  CHECK(std::find(argv.begin(), argv.end(), "--no-healthcheck") != argv.end());
  CHECK(std::find(argv.begin(), argv.end(), "--health-cmd") == argv.end());
}

TEST_CASE("lifecycle and listing argv", "[engine][argv]") {
  CHECK(podman::join_argv(podman::container_start({"a", "b"})) == "start a b");
  CHECK(podman::join_argv(podman::container_stop({"a"}, 3)) == "stop --time 3 a");
  CHECK(podman::join_argv(podman::container_stop({"a"}, std::nullopt)) == "stop a");
  CHECK(podman::join_argv(podman::container_rm({"a"})) == "rm --force --volumes a");
  CHECK(podman::join_argv(podman::pod_rm("demo", 0)) == "pod rm --force --time 0 demo");
  CHECK(podman::join_argv(podman::ps_project("demo")) ==
        "ps --all --filter label=io.qpod.project=demo --format json");
  CHECK(podman::join_argv(podman::healthcheck_run("demo-db-1")) == "healthcheck run demo-db-1");
  CHECK(podman::podman_duration(30s) == "30s");
  CHECK(podman::podman_duration(1500ms) == "1500ms");
}

TEST_CASE("container run: create's argv, detached", "[engine][argv]") {
  auto p = project("demo", {service("web")});
  auto create = podman::container_create(p, p.services.at("web"));
  auto run = podman::container_run(p, p.services.at("web"));
  REQUIRE(run.size() == create.size() + 1);
  CHECK(run[0] == "run");
  CHECK(run[1] == "--detach");
  CHECK(std::equal(create.begin() + 1, create.end(), run.begin() + 2));
}

TEST_CASE("pod create: a QPOD template's x-qpod.ports are published on the pod", "[engine][argv]") {
  auto p = project("demo", {service("web")});
  compose::QpodEnvironment env;
  compose::Port port;
  port.published = "9000";
  port.target = 9000;
  env.ports.push_back(port);
  std::string before = podman::pod_hash(p);
  p.qpod = env;
  CHECK(podman::join_argv(podman::pod_create(p)).find(" -p 9000:9000 ") != std::string::npos);
  CHECK(podman::pod_hash(p) != before);
}
