// qpod kill / rm / pause / unpause / top / port / images / ls / wait on real podman.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

std::string service_yaml(const std::string& name, const std::string& command,
                         const std::string& extra = "") {
  return "  " + name + ":\n    image: " + qpod::it::kImage +
         "\n    init: true\n    command: " + command + "\n" + extra;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("qpod kill, pause, unpause, rm, top, port, images and ls", "[podman][commands]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("commands"));
  // A host port per test process, so that helpers running at once do not collide.
  std::string host_port = std::to_string(20000 + getpid() % 20000);
  p.write("compose.yaml",
          "services:\n" + service_yaml("db", "[\"sleep\", \"600\"]") +
              service_yaml("web", "[\"sleep\", \"600\"]",
                           "    ports: [\"" + host_port + ":80\"]\n    depends_on: [db]\n"));
  std::string db = p.name() + "-db-1", web = p.name() + "-web-1";
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  auto ls = p.qpod({"ls", "--format", "json", "--filter", "name=^" + p.name() + "$"});
  INFO(ls.out << ls.err);
  CHECK(ls.exit_code == 0);
  CHECK(contains(ls.out, "\"Name\":\"" + p.name() + "\""));
  CHECK(contains(ls.out, "\"Status\":\"running(2)\""));
  CHECK(contains(ls.out, (p.dir() / "compose.yaml").string()));

  auto top = p.qpod({"top", "web"});
  INFO(top.out << top.err);
  CHECK(top.exit_code == 0);
  CHECK(top.out.rfind(web + "\n", 0) == 0);
  CHECK(contains(top.out, "sleep 600"));
  CHECK_FALSE(contains(top.out, db));

  auto port = p.qpod({"port", "web", "80"});
  INFO(port.out << port.err);
  CHECK(port.exit_code == 0);
  CHECK(port.out == "0.0.0.0:" + host_port + "\n");
  auto no_port = p.qpod({"port", "web", "81"});
  CHECK(no_port.exit_code == 1);
  CHECK(contains(no_port.err, "no port 81/tcp for container " + web));

  auto images = p.qpod({"images"});
  INFO(images.out << images.err);
  CHECK(images.exit_code == 0);
  CHECK(contains(images.out, "CONTAINER"));
  CHECK(contains(images.out, db));
  CHECK(contains(images.out, "localhost/qpod-busybox"));
  CHECK(contains(images.out, "latest"));

  auto pause = p.qpod({"pause", "web"});
  INFO(pause.out << pause.err);
  CHECK(pause.exit_code == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "paused");
  CHECK(inspect(web, "{{.State.Paused}}") == "true");
  CHECK(inspect(db, "{{.State.Status}}") == "running");
  auto unpause = p.qpod({"unpause"});
  INFO(unpause.out << unpause.err);
  CHECK(unpause.exit_code == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "running");

  auto kill = p.qpod({"kill", "-s", "SIGTERM", "db"});
  INFO(kill.out << kill.err);
  CHECK(kill.exit_code == 0);
  // kill sends the signal (as docker's does); the container stops right after it.
  CHECK(qpod::it::trim(qpod::it::podman({"wait", db}).out) == "143");
  CHECK(inspect(db, "{{.State.Status}}") == "exited");
  CHECK(inspect(web, "{{.State.Status}}") == "running");

  // Without -f and without a terminal, rm asks on stdout and reads stdin: closed means no.
  auto ask = p.qpod({"rm", "db"});
  INFO(ask.out << ask.err);
  CHECK(ask.exit_code == 0);
  CHECK(contains(ask.out, "Going to remove " + db));
  CHECK(qpod::it::podman({"container", "exists", db}).ok());
  // -f removes only the selected stopped containers: web runs and stays.
  auto rm = p.qpod({"rm", "-f"});
  INFO(rm.out << rm.err);
  CHECK(rm.exit_code == 0);
  CHECK_FALSE(qpod::it::podman({"container", "exists", db}).ok());
  CHECK(qpod::it::podman({"container", "exists", web}).ok());

  auto wrong = p.qpod({"kill", "nosuch"});
  CHECK(wrong.exit_code == 1);
  CHECK(contains(wrong.err, "no such service: nosuch"));
  auto not_running = p.qpod({"port", "db", "80"});
  CHECK(not_running.exit_code == 1);
  CHECK(contains(not_running.err, "service \"db\" is not running"));

  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  auto gone = p.qpod({"ls", "-a", "-q", "--filter", "name=^" + p.name() + "$"});
  CHECK(gone.exit_code == 0);
  CHECK(gone.out == "");
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod wait returns the service's exit code, --down-project drops the project",
          "[podman][commands]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("wait"));
  p.write("compose.yaml", "services:\n" +
                              service_yaml("job", "[\"sh\", \"-c\", \"sleep 1; exit 3\"]") +
                              service_yaml("idle", "[\"sleep\", \"600\"]"));
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  auto wait = p.qpod({"wait", "job"});
  INFO(wait.out << wait.err);
  CHECK(wait.exit_code == 3);
  CHECK(wait.out == "container \"" + p.name() + "-job-1\" exited with status code 3\n");
  CHECK(inspect(p.name() + "-job-1", "{{.State.ExitCode}}") == "3");

  auto down = p.qpod({"wait", "--down-project", "job"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 3);
  CHECK(p.leftovers() == "");
}
