// Failure paths of `up` on real podman, through the qpod binary: what fails is named with
// podman's message, nothing half-made is left behind, and `up` after the fix converges.
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

std::string image_line() { return std::string("    image: ") + qpod::it::kImage + "\n"; }

std::string sleeper(const std::string& name) {
  return "  " + name + ":\n" + image_line() + "    init: true\n    command: [\"sleep\", \"600\"]\n";
}

std::string labelled_networks(const std::string& project) {
  return qpod::it::podman(
             {"network", "ls", "--quiet", "--filter", "label=io.qpod.project=" + project})
      .out;
}

}  // namespace

TEST_CASE("up: a missing image is named before anything is created, up converges after",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("noimage"));
  std::string web_missing =
      "  web:\n    image: localhost/qpod-it-no-such-image:latest\n"
      "    pull_policy: never\n    command: [\"sleep\", \"600\"]\n";
  p.write("compose.yaml", "services:\n" + sleeper("db") + web_missing);
  auto r = p.qpod({"up", "-d"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  // The image check comes before anything is created: the message is qpod's, not podman's.
  CHECK(contains(r.err,
                 "/compose.yaml:7:12: services.web.image: image "
                 "localhost/qpod-it-no-such-image:latest is missing"));
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(p.leftovers() == "");

  p.write("compose.yaml", "services:\n" + sleeper("db") + sleeper("web"));
  auto fixed = p.qpod({"up", "-d"});
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(inspect(p.name() + "-db-1", "{{.State.Status}}") == "running");
  // converged: nothing to do, each container is said to be Running (docker compose's words)
  CHECK(p.qpod({"up", "-d"}).out ==
        "Container " + p.name() + "-db-1  Running\nContainer " + p.name() + "-web-1  Running\n");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("up: a host port in use fails before anything is created, at the port's line",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("portinuse"));
  // The test holds a port, as another program would: a listening socket on every address.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  std::string port = std::to_string(ntohs(a.sin_port));
  p.write("compose.yaml", "services:\n" + sleeper("db") + sleeper("web") +   // lines 2-9
                              "    ports:\n      - \"" + port + ":80\"\n");  // line 11
  auto r = p.qpod({"up", "-d"});
  ::close(fd);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "compose.yaml:11:"));
  CHECK(contains(r.err,
                 "services.web.ports[0]: service web: port " + port + "/tcp is already in use"));
  CHECK_FALSE(contains(r.err, "--name"));  // no podman argv
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(p.leftovers() == "");
  // Freed, the same up works.
  auto ok = p.qpod({"up", "-d"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
}

TEST_CASE("up: a failure mid-up rolls back the pod and containers this up created",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("rollback"));
  // web starts after db; podman creates web, then cannot start it (no such executable).
  std::string bad =
      "  web:\n" + image_line() + "    command: [\"/no/such/binary\"]\n    depends_on: [db]\n";
  p.write("compose.yaml", "services:\n" + sleeper("db") + bad);
  auto r = p.qpod({"up", "-d"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "web: podman run failed"));
  CHECK(contains(r.err, "/no/such/binary"));  // podman's reason
  CHECK_FALSE(contains(r.err, "--name"));     // not its argv
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(p.leftovers() == "");

  // The pod existed before (made by `up db`, with web's name already among its hosts): only
  // what this up created goes; db and the pod stay as they were.
  REQUIRE(p.qpod({"up", "-d", "db"}).exit_code == 0);
  auto db_id = inspect(p.name() + "-db-1", "{{.Id}}");
  auto pod_id = inspect(p.name(), "{{.Id}}", "pod");
  auto again = p.qpod({"up", "-d"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 1);
  CHECK(inspect(p.name(), "{{.Id}}", "pod") == pod_id);
  CHECK(inspect(p.name() + "-db-1", "{{.Id}}") == db_id);
  CHECK(inspect(p.name() + "-db-1", "{{.State.Status}}") == "running");
  CHECK_FALSE(qpod::it::podman({"container", "exists", p.name() + "-web-1"}).ok());
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("up: a dependency that never becomes healthy fails with its last health output",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("neverhealthy"));
  p.write("compose.yaml", "services:\n" + sleeper("db") + R"(    healthcheck:
      test: ["CMD-SHELL", "echo still warming up; exit 1"]
      interval: 200ms
      retries: 2
)" + sleeper("web") + R"(    depends_on:
      db:
        condition: service_healthy
)");
  auto r = p.qpod({"up", "-d"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "dependency db is unhealthy (exit 1: still warming up)"));
  // web was created, never started; this up made the pod, so its rollback takes all of it.
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(p.leftovers() == "");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
}

TEST_CASE("up: an unhealthy dependency with required: false is a warning, the dependant starts",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("optionaldep"));
  p.write("compose.yaml", "services:\n" + sleeper("db") + R"(    healthcheck:
      test: ["CMD-SHELL", "echo still warming up; exit 1"]
      interval: 200ms
      retries: 2
)" + sleeper("web") + R"(    depends_on:
      db:
        condition: service_healthy
        required: false
)");
  auto r = p.qpod({"up", "-d"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "dependency db is unhealthy (exit 1: still warming up)"));
  CHECK(contains(r.err, "(required: false: continuing)"));
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
}

TEST_CASE("up: a missing external network or volume fails before anything is created",
          "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("external"));
  std::string net = p.name() + "-absent-net", vol = p.name() + "-absent-vol";
  p.write("compose.yaml", "services:\n" + sleeper("app") +
                              "    networks: [shared]\n    volumes: [\"store:/store\"]\n" +
                              "networks:\n  shared:\n    external: true\n    name: " + net +
                              "\nvolumes:\n  store:\n    external: true\n    name: " + vol + "\n");
  auto r = p.qpod({"up", "-d"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "network " + net +
                            " (networks.shared, used by app) is external but "
                            "does not exist"));
  CHECK(contains(r.err, "volume " + vol +
                            " (volumes.store, used by app) is external but "
                            "does not exist"));
  CHECK(p.leftovers() == "");
  CHECK(labelled_networks(p.name()) == "");

  // Once they exist, up uses them and down leaves them.
  REQUIRE(qpod::it::podman({"network", "create", net}).ok());
  REQUIRE(qpod::it::podman({"volume", "create", vol}).ok());
  auto ok = p.qpod({"up", "-d"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(contains(inspect(p.name() + "-infra", "{{json .NetworkSettings.Networks}}"), net));
  CHECK(p.qpod({"down", "-v", "-t", "0"}).exit_code == 0);
  CHECK(qpod::it::podman({"network", "exists", net}).ok());
  CHECK(qpod::it::podman({"volume", "exists", vol}).ok());
  qpod::it::podman({"network", "rm", net});
  qpod::it::podman({"volume", "rm", vol});
}

TEST_CASE("ps --status selects containers by state", "[podman][failure]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("psstatus"));
  p.write("compose.yaml",
          "services:\n" + sleeper("web") + "  job:\n" + image_line() + "    command: [\"true\"]\n");
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  REQUIRE(qpod::it::podman({"wait", p.name() + "-job-1"}).ok());
  CHECK(p.qpod({"ps", "--services"}).out == "web\n");
  CHECK(p.qpod({"ps", "--services", "--status", "running"}).out == "web\n");
  CHECK(p.qpod({"ps", "--services", "--status", "exited"}).out == "job\n");
  CHECK(p.qpod({"ps", "--services", "--status", "exited", "--status", "running"}).out ==
        "job\nweb\n");
  CHECK(p.qpod({"ps", "--services", "--status", "paused"}).out == "");
  CHECK(p.qpod({"ps", "--status", "bogus"}).exit_code != 0);
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
}
