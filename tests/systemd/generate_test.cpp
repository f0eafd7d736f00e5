// systemd generate: the units read back (tests/systemd/unit_reader.h) are up's podman argv,
// ordered by the DAG, with Restart= from the restart policy.
#include "systemd/generate.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "engine/lock.h"
#include "podman/podman_argv.h"
#include "tests/support/load_project.h"
#include "tests/support/temp_dir.h"
#include "tests/systemd/unit_reader.h"

using namespace qpod;
using qpod::testing::exec_argv;
using qpod::testing::read_unit;
using qpod::testing::unit_values;
using Strings = std::vector<std::string>;

namespace {

using Loaded = qpod::testing::LoadedProject;

Loaded load(const qpod::testing::TempDir& dir, const std::string& yaml) {
  return qpod::testing::load_project_yaml(dir, yaml, "sdtest");
}

struct Generated {
  systemd::Units units;
  std::vector<qpod::testing::UnitEntry> unit(const std::string& name) const {
    for (const auto& f : units.files)
      if (f.name == name) return read_unit(f.text);
    FAIL("no unit " << name);
    return {};
  }
  Strings names() const {
    Strings n;
    for (const auto& f : units.files) n.push_back(f.name);
    return n;
  }
  bool warned(const std::string& part) const {
    for (const auto& w : units.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  }
};

Generated generate(const Loaded& l, systemd::SystemdOptions o = {}) {
  auto u = systemd::generate(l.project, l.graph, o);
  if (!u) FAIL(format(u.errors()));
  return {*u};
}

Strings values(const std::vector<qpod::testing::UnitEntry>& unit, const char* section,
               const char* key) {
  return unit_values(unit, section, key);
}

Strings argv_of(const std::string& value) { return exec_argv(value); }

Strings concat(Strings a, const Strings& b, std::size_t from = 0) {
  a.insert(a.end(), b.begin() + static_cast<long>(from), b.end());
  return a;
}

// up's argv of the service's container, as the unit runs it: the unit's own flags first, then
// `podman run --detach ...` with the restart policy left to systemd.
Strings expected_run(const compose::Project& p, const std::string& service, int number = 1) {
  compose::Service s = p.services.at(service);
  s.restart.clear();
  return concat({"/usr/bin/podman", "run", "--cidfile=%t/%n.ctr-id", "--cgroups=no-conmon", "--rm",
                 "--replace", "--sdnotify=conmon"},
                podman::container_run(p, s, number), 1);
}

const char* kCiEnv = R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    command: ["httpd", "-f", "-p", "5432"]
    volumes: [db-data:/data]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      timeout: 2s
      retries: 5
  migrate:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo migrated"]
    depends_on:
      db: {condition: service_healthy}
    restart: "no"
  app:
    image: localhost/qpod-busybox:latest
    ports: ["8080:8080"]
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
    restart: always
  extra:
    image: localhost/qpod-busybox:latest
    depends_on:
      app: {condition: service_started, required: false}
volumes:
  db-data:
)";

}  // namespace

TEST_CASE("systemd generate: a pod unit and one unit per container, dependencies first") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto g = generate(l);
  CHECK(g.names() == Strings{"pod-sdtest.service", "container-sdtest-db-1.service",
                             "container-sdtest-migrate-1.service", "container-sdtest-app-1.service",
                             "container-sdtest-extra-1.service"});
  auto pod = g.unit("pod-sdtest.service");
  CHECK(values(pod, "Unit", "Wants") ==
        Strings{"network-online.target", "container-sdtest-db-1.service",
                "container-sdtest-migrate-1.service", "container-sdtest-app-1.service",
                "container-sdtest-extra-1.service"});
  CHECK(values(pod, "Service", "Type") == Strings{"forking"});
  CHECK(values(pod, "Install", "WantedBy") == Strings{"default.target"});
}

TEST_CASE("systemd generate: the pod unit creates the volumes and the pod with up's argv") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto pod = generate(l).unit("pod-sdtest.service");
  auto pre = values(pod, "Service", "ExecStartPre");
  REQUIRE(pre.size() == 3);
  CHECK(argv_of(pre[0]) == Strings{"/bin/rm", "-f", "%t/%N.pid", "%t/%N.pod-id"});
  // An existing volume is no failure ("-"): podman 4.3's volume create has no --ignore.
  CHECK(pre[1].rfind("-/usr/bin/podman ", 0) == 0);
  CHECK(argv_of(pre[1]) ==
        concat({"/usr/bin/podman"}, podman::volume_create(l.project, "db-data")));
  CHECK(argv_of(pre[2]) ==
        concat({"/usr/bin/podman", "pod", "create", "--infra-conmon-pidfile=%t/%N.pid",
                "--pod-id-file=%t/%N.pod-id", "--exit-policy=stop", "--replace"},
               podman::pod_create(l.project), 2));
  CHECK(argv_of(values(pod, "Service", "ExecStart").at(0)) ==
        Strings{"/usr/bin/podman", "pod", "start", "--pod-id-file=%t/%N.pod-id"});
  CHECK(values(pod, "Service", "PIDFile") == Strings{"%t/%N.pid"});
}

TEST_CASE("systemd generate: a container unit runs up's podman argv without podman's restart") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto app = generate(l).unit("container-sdtest-app-1.service");
  auto start = values(app, "Service", "ExecStart");
  REQUIRE(start.size() == 1);
  Strings argv = argv_of(start[0]);
  CHECK(argv == expected_run(l.project, "app"));
  CHECK(std::find(argv.begin(), argv.end(), "--restart") == argv.end());
  CHECK(std::find(argv.begin(), argv.end(), "--detach") != argv.end());
  CHECK(values(app, "Service", "Type") == Strings{"notify"});
  CHECK(values(app, "Service", "NotifyAccess") == Strings{"all"});
  CHECK(argv_of(values(app, "Service", "ExecStop").at(0)) ==
        Strings{"/usr/bin/podman", "stop", "--ignore", "-t", "10", "--cidfile=%t/%n.ctr-id"});
  CHECK(argv_of(values(app, "Service", "ExecStopPost").at(0)) ==
        Strings{"/usr/bin/podman", "rm", "-f", "--ignore", "-t", "10", "--cidfile=%t/%n.ctr-id"});
}

TEST_CASE("systemd generate: ordering from depends_on, BindsTo the pod, Wants for required false") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto g = generate(l);
  auto app = g.unit("container-sdtest-app-1.service");
  CHECK(values(app, "Unit", "BindsTo") == Strings{"pod-sdtest.service"});
  CHECK(values(app, "Unit", "Requires") ==
        Strings{"container-sdtest-db-1.service", "container-sdtest-migrate-1.service"});
  CHECK(values(app, "Unit", "After") == Strings{"pod-sdtest.service",
                                                "container-sdtest-db-1.service",
                                                "container-sdtest-migrate-1.service"});
  auto db = g.unit("container-sdtest-db-1.service");
  CHECK(values(db, "Unit", "Requires").empty());
  CHECK(values(db, "Unit", "After") == Strings{"pod-sdtest.service"});
  auto extra = g.unit("container-sdtest-extra-1.service");
  CHECK(values(extra, "Unit", "Requires").empty());
  CHECK(values(extra, "Unit", "Wants") == Strings{"container-sdtest-app-1.service"});
  CHECK(values(extra, "Unit", "After") ==
        Strings{"pod-sdtest.service", "container-sdtest-app-1.service"});
}

TEST_CASE("systemd generate: service_healthy waits in the dependency's ExecStartPost") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto g = generate(l);
  auto db = g.unit("container-sdtest-db-1.service");
  auto post = values(db, "Service", "ExecStartPost");
  REQUIRE(post.size() == 1);
  Strings argv = argv_of(post[0]);
  REQUIRE(argv.size() == 7);
  CHECK(argv[0] == "/bin/sh");
  CHECK(argv[1] == "-c");
  // The script is a constant: the values are its positional parameters.
  CHECK(argv[2].find("until \"$0\" healthcheck run \"$1\"") != std::string::npos);
  CHECK(Strings(argv.begin() + 3, argv.end()) ==
        Strings{"/usr/bin/podman", "sdtest-db-1", "6", "1"});         // retries 5 + 1, every 1s
  CHECK(values(db, "Service", "TimeoutStartSec") == Strings{"108"});  // 90 + 6 * (1s + 2s)
  // app is waited for by nobody: it starts without a wait.
  CHECK(values(g.unit("container-sdtest-app-1.service"), "Service", "ExecStartPost").empty());
}

TEST_CASE("systemd generate: a service waited for to complete is a oneshot that stays active") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  auto migrate = generate(l).unit("container-sdtest-migrate-1.service");
  CHECK(values(migrate, "Service", "Type") == Strings{"oneshot"});
  CHECK(values(migrate, "Service", "RemainAfterExit") == Strings{"yes"});
  CHECK(values(migrate, "Service", "Restart") == Strings{"no"});
  // Attached (no --detach, no sd-notify): the unit's start ends with the container's exit code.
  compose::Service s = l.project.services.at("migrate");
  s.restart.clear();
  Strings run = podman::container_run(l.project, s);
  CHECK(argv_of(values(migrate, "Service", "ExecStart").at(0)) ==
        concat({"/usr/bin/podman", "run", "--cidfile=%t/%n.ctr-id", "--cgroups=no-conmon", "--rm",
                "--replace"},
               run, 2));
}

TEST_CASE("systemd generate: Restart= from restart and deploy.restart_policy") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  a: {image: localhost/qpod-busybox:latest, restart: always}
  b: {image: localhost/qpod-busybox:latest, restart: unless-stopped}
  c: {image: localhost/qpod-busybox:latest, restart: "on-failure:3"}
  d: {image: localhost/qpod-busybox:latest, restart: "no"}
  e: {image: localhost/qpod-busybox:latest}
  f:
    image: localhost/qpod-busybox:latest
    deploy: {restart_policy: {condition: on-failure, max_attempts: 2}}
  g:
    image: localhost/qpod-busybox:latest
    deploy: {restart_policy: {condition: any}}
)");
  auto g = generate(l);
  auto restart = [&](const char* svc) {
    return values(g.unit(std::string("container-sdtest-") + svc + "-1.service"), "Service",
                  "Restart");
  };
  CHECK(restart("a") == Strings{"always"});
  CHECK(restart("b") == Strings{"always"});
  CHECK(restart("c") == Strings{"on-failure"});
  CHECK(restart("d") == Strings{"no"});
  CHECK(restart("e") == Strings{"no"});
  CHECK(restart("f") == Strings{"on-failure"});
  CHECK(restart("g") == Strings{"always"});
  auto c = g.unit("container-sdtest-c-1.service");
  CHECK(values(c, "Unit", "StartLimitBurst") == Strings{"4"});  // the first start + 3 restarts
  CHECK(values(c, "Unit", "StartLimitIntervalSec") == Strings{"infinity"});
  CHECK(values(g.unit("container-sdtest-f-1.service"), "Unit", "StartLimitBurst") == Strings{"3"});
  CHECK(values(g.unit("container-sdtest-a-1.service"), "Unit", "StartLimitBurst").empty());
}

TEST_CASE("systemd generate: spaces, percent, dollar, quotes and newlines reach podman unchanged") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  tricky:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo \"100% $$HOME\" 'x y'\necho done;", ";", "#not a comment", ""]
    environment:
      SPACED: "a b  c"
      PERCENT: "%n %t %%"
      DOLLAR: "$$HOME $${PATH}"
      SLASHES: "C:\\dir\\"
      NEWLINE_DIRECTIVE: "x\nExecStartPre=/bin/false"
    labels:
      "quoted\"label": "it's"
    stop_grace_period: 3s
)");
  auto g = generate(l);
  const auto& text = g.units.files.at(1).text;
  auto tricky = read_unit(text);
  CHECK(argv_of(values(tricky, "Service", "ExecStart").at(0)) == expected_run(l.project, "tricky"));
  // Nothing of a value became a directive of its own.
  CHECK(values(tricky, "Service", "ExecStartPre").size() == 1);
  CHECK(text.find("\nExecStartPre=/bin/false") == std::string::npos);
  CHECK(values(tricky, "Service", "TimeoutStopSec") == Strings{"63"});
  CHECK(argv_of(values(tricky, "Service", "ExecStop").at(0)) ==
        Strings{"/usr/bin/podman", "stop", "--ignore", "-t", "3", "--cidfile=%t/%n.ctr-id"});
}

TEST_CASE("systemd generate: lifecycle hooks run as podman exec after start and before stop") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    post_start:
      - command: ["touch", "/tmp/started"]
        user: "1000"
    pre_stop:
      - command: ["sh", "-c", "echo bye"]
)");
  auto web = generate(l).unit("container-sdtest-web-1.service");
  const auto& s = l.project.services.at("web");
  CHECK(argv_of(values(web, "Service", "ExecStartPost").at(0)) ==
        concat({"/usr/bin/podman"}, podman::container_exec_hook("sdtest-web-1", s.post_start[0])));
  auto stop = values(web, "Service", "ExecStop");
  REQUIRE(stop.size() == 2);
  CHECK(stop[0].rfind("-/usr/bin/podman ", 0) == 0);  // a failed hook does not stop the stop
  CHECK(argv_of(stop[0]) ==
        concat({"/usr/bin/podman"}, podman::container_exec_hook("sdtest-web-1", s.pre_stop[0])));
}

TEST_CASE("systemd generate: replicas are units of their own, each a dependency of dependants") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  worker: {image: localhost/qpod-busybox:latest, scale: 2}
  front:
    image: localhost/qpod-busybox:latest
    depends_on: [worker]
)");
  auto g = generate(l);
  CHECK(g.names() == Strings{"pod-sdtest.service", "container-sdtest-worker-1.service",
                             "container-sdtest-worker-2.service",
                             "container-sdtest-front-1.service"});
  CHECK(
      argv_of(values(g.unit("container-sdtest-worker-2.service"), "Service", "ExecStart").at(0)) ==
      expected_run(l.project, "worker", 2));
  CHECK(values(g.unit("container-sdtest-front-1.service"), "Unit", "Requires") ==
        Strings{"container-sdtest-worker-1.service", "container-sdtest-worker-2.service"});
}

TEST_CASE("systemd generate: named services come with their dependencies only") {
  qpod::testing::TempDir dir;
  auto l = load(dir, kCiEnv);
  systemd::SystemdOptions o;
  o.services = {"migrate"};
  o.podman = "/opt/podman/bin/podman";
  auto g = generate(l, o);
  CHECK(g.names() == Strings{"pod-sdtest.service", "container-sdtest-db-1.service",
                             "container-sdtest-migrate-1.service"});
  CHECK(argv_of(values(g.unit("container-sdtest-db-1.service"), "Service", "ExecStart").at(0))
            .at(0) == "/opt/podman/bin/podman");
  o.services = {"nope"};
  CHECK_FALSE(systemd::generate(l.project, l.graph, o).ok());
}

TEST_CASE("systemd generate: a secret from the environment is refused, its value never written") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    secrets: [vault, token]
    configs: [inline]
secrets:
  token:
    environment: TOKEN
  vault:
    external: true
    name: podman_vault
configs:
  inline:
    content: "s3cr3t-config"
)");
  auto u = systemd::generate(l.project, l.graph, {});
  REQUIRE_FALSE(u.ok());
  REQUIRE(u.errors().size() == 2);
  CHECK(u.errors()[0].path == "services.web.secrets[1]");
  CHECK(u.errors()[0].line == 5);
  CHECK(u.errors()[0].message.find("podman secret create") != std::string::npos);
  CHECK(u.errors()[1].path == "services.web.configs[0]");
  CHECK(format(u.errors()).find("s3cr3t") == std::string::npos);
}

TEST_CASE("systemd generate: a podman secret is mounted by name, as up mounts it") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    secrets: [vault]
secrets:
  vault:
    external: true
    name: podman_vault
)");
  auto web = generate(l).unit("container-sdtest-web-1.service");
  Strings argv = argv_of(values(web, "Service", "ExecStart").at(0));
  CHECK(std::find(argv.begin(), argv.end(), "podman_vault,type=mount,target=/run/secrets/vault") !=
        argv.end());
}

TEST_CASE("systemd generate: a file secret is copied at each start to the file up mounts") {
  qpod::testing::TempDir dir;
  dir.write("token.txt", "s3cr3t-value\n");
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    secrets:
      - source: token
        uid: "1000"
        gid: "1001"
        mode: 0400
secrets:
  token:
    file: ./token.txt
)");
  const auto& s = l.project.services.at("web");
  const std::string dest = podman::host_file_path(l.project, s, true, s.secrets[0]);
  for (bool rootless : {false, true}) {
    systemd::SystemdOptions o;
    o.rootless = rootless;
    auto u = systemd::generate(l.project, l.graph, o);
    REQUIRE(u.ok());
    const auto& text = u->files.at(1).text;
    CHECK(text.find("s3cr3t") == std::string::npos);
    auto pre = values(read_unit(text), "Service", "ExecStartPre");
    REQUIRE(pre.size() == (rootless ? 4 : 3));
    const std::string base = podman::lock_dir();
    CHECK(argv_of(pre[1]) == Strings{"/usr/bin/install", "-d", "-m", "0700", base, base + "/sdtest",
                                     base + "/sdtest/web", base + "/sdtest/web/secrets",
                                     base + "/sdtest/web/secrets/run",
                                     base + "/sdtest/web/secrets/run/secrets"});
    if (rootless) {
      CHECK(argv_of(pre[2]) ==
            Strings{"/usr/bin/install", "-m", "0400", "-T", "--", dir.str() + "/token.txt", dest});
      CHECK(argv_of(pre[3]) == Strings{"/usr/bin/podman", "unshare", "chown", "1000:1001", dest});
    } else {
      CHECK(argv_of(pre[2]) == Strings{"/usr/bin/install", "-m", "0400", "-o", "1000", "-g", "1001",
                                       "-T", "--", dir.str() + "/token.txt", dest});
    }
    // The container mounts that copy, as up's argv does.
    Strings run = argv_of(values(read_unit(text), "Service", "ExecStart").at(0));
    CHECK(std::find(run.begin(), run.end(), dest + ":/run/secrets/token:ro") != run.end());
  }
}

TEST_CASE("systemd generate: a NUL byte in a value is an error at its service") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
)");
  l.project.services.at("web").environment["BAD"] = std::string("a\0b", 3);
  auto u = systemd::generate(l.project, l.graph, {});
  REQUIRE_FALSE(u.ok());
  CHECK(u.errors()[0].path == "services.web");
  CHECK(u.errors()[0].message.find("NUL") != std::string::npos);
}

TEST_CASE("systemd generate: what units do not do as up does is a warning") {
  qpod::testing::TempDir dir;
  dir.write("img/Containerfile", "FROM scratch\n");
  auto l = load(dir, R"(
services:
  built:
    image: localhost/sdtest-built
    build: ./img
  waited:
    image: localhost/qpod-busybox:latest
  user:
    image: localhost/qpod-busybox:latest
    depends_on:
      waited: {condition: service_healthy}
      built: {condition: service_started}
)");
  auto g = generate(l);
  CHECK(g.warned("service built: the units do not build its image localhost/sdtest-built"));
  CHECK(
      g.warned("service waited: dependants wait for it to be healthy, but it has no healthcheck"));
}

TEST_CASE("systemd generate: bind mount sources are created as up creates them") {
  qpod::testing::TempDir dir;
  auto l = load(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    volumes:
      - ./data dir:/data
)");
  auto web = generate(l).unit("container-sdtest-web-1.service");
  auto pre = values(web, "Service", "ExecStartPre");
  REQUIRE(pre.size() == 2);
  CHECK(argv_of(pre[1]) == Strings{"/bin/mkdir", "-p", "--", dir.str() + "/data dir"});
}
