// The qpod binary on real podman: compose files in a temporary directory, `qpod -p NAME ...`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::int64_t started_ns(const std::string& container) {
  auto text = inspect(container, "{{.State.StartedAt.UnixNano}}");
  return text.empty() ? 0 : std::stoll(text);
}

}  // namespace

TEST_CASE("qpod doctor passes on a configured machine", "[podman][cli]") {
  qpod::it::require_podman();
  auto r = qpod::podman::run_process(QPOD_BINARY, {"doctor"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "OK   OCI runtime: runc"));
  CHECK(contains(r.out, "OK   cgroups: cgroups "));
}

// Uses only what the loader binds today (service names and images).
TEST_CASE("qpod up, ps and down with image-only services", "[podman][cli]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cli-basic"));
  p.write("compose.yaml", std::string("services:\n  web:\n    image: ") + qpod::it::kImage +
                              "\n  db:\n    image: " + qpod::it::kImage + "\n");
  auto plan = p.qpod({"up", "--dry-run"});
  CHECK(plan.exit_code == 0);
  CHECK(plan.out ==
        "#1 create-pod (not found)\n#2 run db (not found) after #1\n"
        "#3 run web (not found) after #1\n");
  CHECK(p.leftovers() == "");

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(contains(up.out, "Pod " + p.name() + "  Created\n"));
  CHECK(contains(up.out, "Container " + p.name() + "-web-1  Started\n"));
  std::string web = p.name() + "-web-1";
  CHECK(inspect(web, "{{index .Config.Labels \"io.qpod.project\"}}") == p.name());
  CHECK(inspect(web, "{{index .Config.Labels \"io.qpod.working-dir\"}}") == p.dir().string());
  CHECK(inspect(web, "{{index .Config.Labels \"com.docker.compose.project\"}}") == p.name());

  auto ps = p.qpod({"ps", "-a", "--format", "json"});
  REQUIRE(ps.exit_code == 0);
  std::vector<nlohmann::json> rows;  // docker compose's: one object a line
  for (const auto& line : ProjectGuard::lines(ps.out)) rows.push_back(nlohmann::json::parse(line));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["Service"] == "db");
  CHECK(rows[1]["Name"] == web);
  CHECK(p.qpod({"ps", "-a", "--services"}).out == "db\nweb\n");
  CHECK(p.qpod({"ps", "-a", "-q"}).out ==
        inspect(p.name() + "-db-1", "{{.Id}}") + "\n" + inspect(web, "{{.Id}}") + "\n");

  auto down = p.qpod({"down"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK(contains(down.out, "Pod " + p.name() + "  Removed"));
  CHECK(p.leftovers() == "");
}

// Needs compose/bind (command, environment, ports, depends_on, healthcheck, labels, restart):
TEST_CASE("qpod up on a full compose file: gating, labels, no-op up, recreation, down",
          "[podman][cli][bind]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cli-full"));
  int port = 30000 + getpid() % 10000;
  auto compose = [&](const std::string& web_env) {
    return std::string("services:\n") +
           "  db:\n"
           "    image: " +
           qpod::it::kImage +
           "\n"
           "    init: true\n"
           "    command: [\"sh\", \"-c\", \"sleep 2; touch /tmp/ready; exec sleep 600\"]\n"
           "    healthcheck:\n"
           "      test: [\"CMD\", \"test\", \"-f\", \"/tmp/ready\"]\n"
           "      interval: 1s\n"
           "      retries: 10\n"
           "  web:\n"
           "    image: " +
           qpod::it::kImage +
           "\n"
           "    init: true\n"
           "    command: [\"sleep\", \"600\"]\n"
           "    restart: unless-stopped\n"
           "    labels:\n"
           "      tier: front\n"
           "    environment:\n"
           "      GREETING: " +
           web_env +
           "\n"
           "    ports:\n"
           "      - target: 80\n"
           "        published: \"" +
           std::to_string(port) +
           "\"\n"
           "        host_ip: 127.0.0.1\n"
           "    depends_on:\n"
           "      db:\n"
           "        condition: service_healthy\n";
  };
  p.write("compose.yaml", compose("hello"));
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  std::string web = p.name() + "-web-1", db = p.name() + "-db-1";
  CHECK(contains(up.out, "Container " + db + "  Healthy"));
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  CHECK(started_ns(web) - started_ns(db) > 2'000'000'000LL);
  CHECK(inspect(web, "{{index .Config.Labels \"tier\"}}") == "front");
  CHECK(inspect(web, "{{.HostConfig.RestartPolicy.Name}}") == "unless-stopped");
  CHECK(contains(inspect(web, "{{range .Config.Env}}{{.}};{{end}}"), "GREETING=hello;"));
  CHECK(contains(inspect(p.name(), "{{json .InfraConfig.PortBindings}}", "pod"),
                 std::to_string(port)));

  auto web_id = inspect(web, "{{.Id}}"), db_id = inspect(db, "{{.Id}}");
  auto again = p.qpod({"up", "-d"});
  CHECK(again.exit_code == 0);
  CHECK(inspect(web, "{{.Id}}") == web_id);
  CHECK(inspect(db, "{{.Id}}") == db_id);

  p.write("compose.yaml", compose("changed"));
  CHECK(p.qpod({"up", "--dry-run"}).out ==
        "#1 wait-healthy db\n#2 remove web (config hash changed)\n"
        "#3 create web (config hash changed) after #2\n#4 start web (created) after #1 #3\n");
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  CHECK(inspect(db, "{{.Id}}") == db_id);
  CHECK(inspect(web, "{{.Id}}") != web_id);
  CHECK(contains(inspect(web, "{{range .Config.Env}}{{.}};{{end}}"), "GREETING=changed;"));

  CHECK(p.qpod({"down", "-t", "2"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up starts a chain in order", "[podman][cli][bind]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cli-chain"));
  std::string yaml = "services:\n";
  for (const char* s : {"a", "b", "c"}) {
    yaml += std::string("  ") + s + ":\n    image: " + qpod::it::kImage +
            "\n    init: true\n    command: [\"sleep\", \"600\"]\n";
    if (std::string(s) != "a")
      yaml += std::string("    depends_on:\n      ") + static_cast<char>(s[0] - 1) +
              ":\n        condition: service_started\n";
  }
  p.write("compose.yaml", yaml);
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  auto at = [&](const char* s) { return started_ns(p.name() + "-" + s + "-1"); };
  CHECK(at("a") > 0);
  CHECK(at("a") < at("b"));
  CHECK(at("b") < at("c"));
  CHECK(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up refuses ports that clash in the one pod before creating anything",
          "[podman][cli]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cli-clash"));
  p.write("compose.yaml", std::string("services:\n  a:\n    image: ") + qpod::it::kImage +
                              "\n    ports: [\"18081:80\"]\n  b:\n    image: " + qpod::it::kImage +
                              "\n    ports: [\"18082:80\"]\n");
  CHECK(p.qpod({"config", "-q"}).exit_code == 0);  // valid Compose all the same
  auto up = p.qpod({"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err + up.out,
                 "services.b.ports[0]: container port 80/tcp is also published by service \"a\""));
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up: an image that looks like a flag is a load error and nothing is created",
          "[podman][cli]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cli-flag-image"));
  p.write("compose.yaml", "services:\n  a:\n    image: \"--privileged\"\n");
  for (const char* cmd : {"config", "up"}) {
    auto r = p.qpod({cmd});
    INFO(cmd << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err,
                   "compose.yaml:3:12: services.a.image: invalid image reference "
                   "\"--privileged\": an image reference cannot start with '-'"));
  }
  CHECK(p.leftovers() == "");
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
}
