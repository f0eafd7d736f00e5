// Service keys on real podman, through the qpod binary and a compose file: what `podman
// inspect` shows for each key, networks and volumes with their labels, secrets and configs.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string object_inspect(const char* kind, const std::string& name, const std::string& format) {
  auto r = qpod::it::podman({kind, "inspect", "--format", format, name});
  return r.ok() ? qpod::it::trim(r.out) : "";
}

}  // namespace

TEST_CASE("service keys reach podman", "[podman][keys]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("keys"));
  std::filesystem::create_directories(p.dir() / "site");
  p.write("site/index.html", "hello from the site\n");
  p.write("token.txt", "s3cr3t-token-value\n");
  ::setenv("QPOD_IT_DB_PASS", "env-secret-value", 1);
  p.write("compose.yaml", std::string(R"(services:
  app:
    image: )") + qpod::it::kImage +
                              R"(
    init: true
    command: ["sleep", "600"]
    environment:
      GREETING: hello world
    labels:
      tier: back
    user: "1000:1000"
    working_dir: /data
    restart: on-failure:3
    stop_signal: SIGINT
    stop_grace_period: 3s
    read_only: true
    cap_add: [NET_ADMIN]
    ulimits:
      nofile: {soft: 1024, hard: 2048}
    networks: [back]
    volumes:
      - ./site:/site:ro
      - data:/data
      - type: tmpfs
        target: /scratch
        tmpfs:
          size: 1m
    secrets:
      - token
      - source: db_pass
        target: password
    configs:
      - source: app_conf
        target: /etc/app.conf
networks:
  back:
    internal: true
    labels:
      purpose: keys-test
volumes:
  data:
    labels:
      purpose: keys-test
secrets:
  token:
    file: ./token.txt
  db_pass:
    environment: QPOD_IT_DB_PASS
configs:
  app_conf:
    content: "mode=test"
)");
  auto dry = p.qpod({"up", "--dry-run"});
  INFO(dry.out << dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_FALSE(contains(dry.out + dry.err, "s3cr3t-token-value"));
  CHECK_FALSE(contains(dry.out + dry.err, "env-secret-value"));

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_FALSE(contains(up.out + up.err, "s3cr3t-token-value"));
  CHECK_FALSE(contains(up.out + up.err, "env-secret-value"));
  std::string app = p.name() + "-app-1";
  CHECK(inspect(app, "{{.State.Status}}") == "running");

  // Network and volume: created with the project's labels and their own.
  std::string net = p.name() + "_back", vol = p.name() + "_data";
  CHECK(object_inspect("network", net, "{{index .Labels \"io.qpod.project\"}}") == p.name());
  CHECK(object_inspect("network", net, "{{index .Labels \"purpose\"}}") == "keys-test");
  CHECK(object_inspect("network", net, "{{.Internal}}") == "true");
  CHECK(object_inspect("volume", vol, "{{index .Labels \"io.qpod.project\"}}") == p.name());
  CHECK(object_inspect("volume", vol, "{{index .Labels \"purpose\"}}") == "keys-test");
  CHECK(contains(inspect(p.name() + "-infra", "{{json .NetworkSettings.Networks}}"), net));

  // The container's own keys.
  CHECK(contains(inspect(app, "{{range .Config.Env}}{{.}};{{end}}"), "GREETING=hello world;"));
  CHECK(inspect(app, "{{index .Config.Labels \"tier\"}}") == "back");
  CHECK(inspect(app, "{{.Config.User}}") == "1000:1000");
  CHECK(inspect(app, "{{.Config.WorkingDir}}") == "/data");
  CHECK(inspect(app,
                "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy."
                "MaximumRetryCount}}") == "on-failure 3");
  CHECK(inspect(app, "{{.Config.StopSignal}}") == "2");  // SIGINT
  CHECK(inspect(app, "{{.Config.StopTimeout}}") == "3");
  CHECK(inspect(app, "{{.HostConfig.ReadonlyRootfs}}") == "true");
  CHECK(inspect(app, "{{.HostConfig.Init}}") == "true");
  CHECK(contains(inspect(app, "{{json .HostConfig.CapAdd}}"), "CAP_NET_ADMIN"));
  CHECK(contains(inspect(app, "{{json .HostConfig.Ulimits}}"),
                 "{\"Name\":\"RLIMIT_NOFILE\",\"Soft\":1024,\"Hard\":2048}"));
  // The service's process (not an exec session, which podman gives other limits) has them.
  auto limits = qpod::it::podman({"exec", app, "grep", "open files", "/proc/1/limits"}).out;
  CHECK(contains(limits, " 1024 "));
  CHECK(contains(limits, " 2048 "));

  // Mounts: the relative bind resolved against the project directory, read-only; the named
  // volume; the tmpfs with its size; secrets and configs read-only.
  auto mounts = inspect(app, "{{range .Mounts}}{{.Source}}>{{.Destination}}:{{.RW}};{{end}}");
  CHECK(contains(mounts, (p.dir() / "site").string() + ">/site:false;"));
  CHECK(contains(mounts, ">/data:true;"));
  CHECK(contains(mounts, ">/run/secrets/token:false;"));
  CHECK(contains(mounts, ">/run/secrets/password:false;"));
  CHECK(contains(mounts, ">/etc/app.conf:false;"));
  CHECK(inspect(app, "{{index .HostConfig.Tmpfs \"/scratch\"}}").rfind("size=1048576", 0) == 0);
  auto exec = [&](const std::string& cmd) {
    return qpod::it::podman({"exec", app, "sh", "-c", cmd});
  };
  CHECK(exec("cat /site/index.html").out == "hello from the site\n");
  CHECK(exec("cat /run/secrets/token").out == "s3cr3t-token-value\n");
  CHECK(exec("cat /run/secrets/password").out == "env-secret-value");
  CHECK(exec("cat /etc/app.conf").out == "mode=test");
  CHECK_FALSE(
      qpod::it::podman({"exec", "--user", "0", app, "sh", "-c", "echo x > /run/secrets/token"})
          .ok());
  CHECK_FALSE(exec("touch /rootfs-is-read-only").ok());

  // The secret files qpod wrote are private to the user, and go with `down`.
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string secret_dir = runtime && *runtime
                               ? std::string(runtime) + "/qpod/" + p.name()
                               : "/tmp/qpod-" + std::to_string(::getuid()) + "/" + p.name();
  REQUIRE(std::filesystem::exists(secret_dir + "/app/secrets/run/secrets/password"));
  CHECK((std::filesystem::status(secret_dir).permissions() & std::filesystem::perms::others_all) ==
        std::filesystem::perms::none);
  auto down = p.qpod({"down", "-v", "-t", "0"});
  CHECK(down.exit_code == 0);
  CHECK(p.leftovers() == "");
  CHECK_FALSE(qpod::it::podman({"network", "exists", net}).ok());
  CHECK_FALSE(std::filesystem::exists(secret_dir));
}

TEST_CASE("secrets: a file secret is a copy with the reference's mode and owner",
          "[podman][keys][secrets]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("secret-own"));
  // The host file: root's, 0600. Bind-mounted as it is, user 1000 could not read it.
  p.write("s.txt", "only-for-the-service\n");
  REQUIRE(::chmod((p.dir() / "s.txt").c_str(), 0600) == 0);
  ::setenv("QPOD_IT_ENV_SECRET", "from-the-environment", 1);
  p.write("compose.yaml", std::string("services:\n  app:\n    image: ") + qpod::it::kImage +
                              "\n    user: \"1000:1000\"\n"
                              "    command: [\"sleep\", \"600\"]\n"
                              "    secrets:\n"
                              "      - s\n"
                              "      - {source: s, target: strict, mode: 0400, uid: \"1000\"}\n"
                              "      - e\n"
                              "secrets:\n  s: {file: ./s.txt}\n"
                              "  e: {environment: QPOD_IT_ENV_SECRET}\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("from-the-environment") == std::string::npos);
  CHECK(up.err.find("from-the-environment") == std::string::npos);
  CHECK(up.err.find("ignored") == std::string::npos);  // uid and mode are honoured, not warned
  const std::string app = p.name() + "-app-1";
  auto exec = [&](const std::string& cmd) {
    return qpod::it::podman({"exec", app, "sh", "-c", cmd});
  };
  CHECK(exec("id -u").out == "1000\n");
  CHECK(exec("cat /run/secrets/s").out == "only-for-the-service\n");
  CHECK(exec("stat -c '%a %u %g' /run/secrets/s").out == "444 0 0\n");
  CHECK(exec("cat /run/secrets/strict").out == "only-for-the-service\n");
  CHECK(exec("stat -c '%a %u %g' /run/secrets/strict").out == "400 1000 0\n");
  CHECK(exec("cat /run/secrets/e").out == "from-the-environment");
  CHECK_FALSE(exec("echo x > /run/secrets/s").ok());  // read-only

  // The copies: in a folder only root can enter, each folder on the way 0700.
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string base = runtime && *runtime ? std::string(runtime) + "/qpod"
                                         : "/tmp/qpod-" + std::to_string(::getuid());
  std::string dir = base + "/" + p.name();
  namespace fs = std::filesystem;
  REQUIRE(fs::exists(dir + "/app/secrets/run/secrets/strict"));
  for (const auto& d : {base, dir, dir + "/app", dir + "/app/secrets", dir + "/app/secrets/run"})
    CHECK((fs::status(d).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
  CHECK((fs::status(dir + "/app/secrets/run/secrets/strict").permissions() &
         fs::perms::others_all) == fs::perms::none);
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK_FALSE(fs::exists(dir));
  CHECK(p.leftovers() == "");
}
