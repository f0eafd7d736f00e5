// Small command behaviours on real podman, each as docker compose has it: `create` with a host
// port in use, `stats` and `ps -p NAME` with no Compose file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A listening socket of the test's own on every address, as another program holding a port.
struct HeldPort {
  int fd = -1;
  std::string port;
  HeldPort() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = std::to_string(ntohs(a.sin_port));
  }
  ~HeldPort() { release(); }
  void release() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
};

std::string sleeper(const std::string& name) {
  return "  " + name + ":\n    image: " + qpod::it::kImage +
         "\n    init: true\n    command: [\"sleep\", \"600\"]\n";
}

}  // namespace

TEST_CASE("create: a host port in use is no error, as nothing starts, and up then names it",
          "[podman][create]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-create-port"));
  HeldPort held;
  p.write("compose.yaml",
          "services:\n" + sleeper("web") + "    ports:\n      - \"" + held.port + ":80\"\n");
  auto created = p.qpod({"create"});
  INFO(created.out << created.err);
  CHECK(created.exit_code == 0);
  CHECK_FALSE(contains(created.err, "already in use"));
  CHECK(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "created");
  // Still held: starting is where the port is needed, and up names it before starting.
  auto started = p.qpod({"up", "-d"});
  INFO(started.out << started.err);
  CHECK(started.exit_code == 1);
  CHECK(contains(started.err, "compose.yaml:7:"));
  CHECK(contains(started.err, "services.web.ports[0]: service web: port " + held.port +
                                  "/tcp is already in use"));
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "created");
  held.release();
  auto ok = p.qpod({"up", "-d"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("stats with no container of the project prints the empty table, as docker compose",
          "[podman][stats]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-stats-none"));
  p.write("compose.yaml", "services:\n" + sleeper("web") + sleeper("db"));
  const std::string header =
      "ID          NAME        CPU %       MEM USAGE / LIMIT  MEM %       NET IO      BLOCK IO    "
      "PIDS        CPU TIME    AVG CPU %\n";
  // Nothing created yet: podman is never asked for every container on the host.
  auto none = p.qpod({"stats", "--no-stream"});
  INFO(none.out << none.err);
  CHECK(none.exit_code == 0);
  CHECK(none.out == header);
  CHECK(p.qpod({"stats", "--no-stream", "--format", "json"}).out == "[]\n");
  CHECK(p.qpod({"stats", "--no-stream", "--format", "{{.Name}}"}).out == "");
  CHECK(p.qpod({"stats", "--no-stream", "--format", "table {{.Name}} {{.MemPerc}}"}).out ==
        "NAME        MEM %\n");

  REQUIRE(p.qpod({"up", "-d", "web"}).exit_code == 0);
  REQUIRE(p.qpod({"create", "db"}).exit_code == 0);
  // db's container is not running: the same empty table, the same header as podman's rows.
  CHECK(p.qpod({"stats", "--no-stream", "db"}).out == header);
  auto web = p.qpod({"stats", "--no-stream", "--format", "table {{.Name}} {{.MemPerc}}", "web"});
  INFO(web.out << web.err);
  CHECK(web.out.starts_with("NAME "));
  CHECK(contains(web.out, "MEM %\n" + p.name() + "-web-1 "));
  CHECK_FALSE(contains(web.out, "-db-1"));
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("ps -p NAME with no Compose file gives each row its own service's ports",
          "[podman][ps]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-ps-name"));
  const int base = 40000 + getpid() % 10000;
  const std::string web = std::to_string(base), api = std::to_string(base + 1);
  p.write("compose.yaml", "services:\n" + sleeper("web") + "    ports: [\"" + web + ":80\"]\n" +
                              sleeper("api") + "    ports: [\"" + api + ":81\", \"" + api +
                              ":81/udp\"]\n" + sleeper("db"));
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(inspect(p.name() + "-api-1", "{{index .Config.Labels \"io.qpod.ports\"}}") ==
        "81/tcp,81/udp");
  // From a folder without a Compose file (nor one above it): the project by its name only.
  const auto elsewhere = std::filesystem::temp_directory_path() / (p.name() + "-elsewhere");
  std::filesystem::create_directories(elsewhere);
  auto ps = qpod::podman::run_process(QPOD_BINARY, {"-p", p.name(), "ps"}, elsewhere.string());
  std::error_code ec;
  std::filesystem::remove_all(elsewhere, ec);
  INFO(ps.out << ps.err);
  REQUIRE(ps.exit_code == 0);
  auto row = [&](const std::string& service) {
    for (const auto& line : ProjectGuard::lines(ps.out))
      if (line.rfind(p.name() + "-" + service + "-1 ", 0) == 0) return line;
    return std::string();
  };
  CHECK(row("web").ends_with("0.0.0.0:" + web + "->80/tcp"));
  CHECK(row("api").ends_with("0.0.0.0:" + api + "->81/tcp, 0.0.0.0:" + api + "->81/udp"));
  CHECK_FALSE(contains(row("web"), api));
  CHECK_FALSE(contains(row("db"), "->"));
  CHECK(contains(row("db"), "Up "));
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}
