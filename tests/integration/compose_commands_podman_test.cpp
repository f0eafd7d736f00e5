// qpod create / volumes / cp / stats / events / attach against real podman.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/background_qpod.h"
#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::podman;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("qpod create makes the pod, volumes and containers without starting them",
          "[podman][commands]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("create"));
  p.write("compose.yaml",
          std::string("services:\n") + "  db:\n    image: " + qpod::it::kImage +
              "\n    command: [\"sleep\", \"600\"]\n    volumes: [\"data:/data\"]\n" +
              "  web:\n    image: " + qpod::it::kImage +
              "\n    command: [\"sleep\", \"600\"]\n    depends_on: [db]\n" +
              "volumes:\n  data: {}\n");
  const std::string db = p.name() + "-db-1", web = p.name() + "-web-1";
  auto create = p.qpod({"create"});
  INFO(create.out << create.err);
  REQUIRE(create.exit_code == 0);
  CHECK(inspect(db, "{{.State.Status}}") == "created");
  CHECK(inspect(web, "{{.State.Status}}") == "created");
  CHECK(inspect(p.name(), "{{.Name}}", "pod") == p.name());
  CHECK(podman({"volume", "exists", p.name() + "_data"}).ok());

  auto volumes = p.qpod({"volumes"});
  INFO(volumes.out << volumes.err);
  CHECK(volumes.exit_code == 0);
  CHECK(volumes.out ==
        "DRIVER              VOLUME NAME\nlocal               " + p.name() + "_data\n");
  CHECK(p.qpod({"volumes", "-q", "db"}).out == p.name() + "_data\n");
  CHECK(p.qpod({"volumes", "-q", "web"}).out.empty());
  CHECK(
      contains(p.qpod({"volumes", "--format", "json"}).out, "\"Name\":\"" + p.name() + "_data\""));

  // A second create changes nothing; up then starts what create made.
  const std::string id = inspect(db, "{{.Id}}");
  auto again = p.qpod({"create"});
  CHECK(again.exit_code == 0);
  CHECK(inspect(db, "{{.Id}}") == id);
  CHECK(inspect(db, "{{.State.Status}}") == "created");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  CHECK(up.exit_code == 0);
  CHECK(inspect(db, "{{.Id}}") == id);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
}

TEST_CASE("qpod cp, stats --no-stream and events on a running project", "[podman][commands]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cpstats"));
  p.write("compose.yaml", std::string("services:\n") + "  db:\n    image: " + qpod::it::kImage +
                              "\n    init: true\n    command: [\"sleep\", \"600\"]\n" +
                              "  web:\n    image: " + qpod::it::kImage +
                              "\n    init: true\n    command: [\"sleep\", \"600\"]\n");
  const std::string web = p.name() + "-web-1";
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  p.write("in.txt", "from the host\n");
  auto in = p.qpod({"cp", "in.txt", "web:/tmp/in.txt"});
  INFO(in.out << in.err);
  CHECK(in.exit_code == 0);
  CHECK(podman({"exec", web, "cat", "/tmp/in.txt"}).out == "from the host\n");
  auto out = p.qpod({"cp", "web:/tmp/in.txt", "./back.txt"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 0);
  CHECK(read_file(p.dir() / "back.txt") == "from the host\n");
  auto missing = p.qpod({"cp", "nosuch:/x", "."});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "no such service: nosuch\n");

  auto stats = p.qpod({"stats", "--no-stream", "web"});
  INFO(stats.out << stats.err);
  CHECK(stats.exit_code == 0);
  CHECK(contains(stats.out, web));
  CHECK_FALSE(contains(stats.out, p.name() + "-db-1"));
  auto json = p.qpod({"stats", "--no-stream", "--format", "json"});
  INFO(json.out << json.err);
  CHECK(json.exit_code == 0);
  CHECK(contains(json.out, web));
  CHECK(contains(json.out, p.name() + "-db-1"));

  // Events of the past seconds, web's only; --until ends the stream.
  const long long since = unix_now() - 1;
  auto restart = p.qpod({"restart", "web", "db"});
  INFO(restart.out << restart.err);
  REQUIRE(restart.exit_code == 0);
  auto events = p.qpod({"events", "--json", "--since", std::to_string(since), "--until",
                        std::to_string(unix_now() + 2), "web"});
  INFO(events.out << events.err);
  CHECK(events.exit_code == 0);
  CHECK(contains(events.out, "\"service\":\"web\""));
  CHECK(contains(events.out, "\"action\":\"start\""));
  CHECK(contains(events.out, "\"name\":\"" + web + "\""));
  CHECK_FALSE(contains(events.out, "\"service\":\"db\""));
  auto text = p.qpod(
      {"events", "--since", std::to_string(since), "--until", std::to_string(unix_now() + 2)});
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  CHECK(contains(text.out, " container start "));
  CHECK(contains(text.out, "name=" + p.name() + "-db-1"));
}

TEST_CASE("qpod attach follows a service's output until it exits, with its exit code",
          "[podman][commands]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("attach"));
  p.write("compose.yaml",
          std::string("services:\n  talker:\n    image: ") + qpod::it::kImage +
              "\n    command: [\"sh\", \"-c\", \"while [ ! -e /tmp/go ]; do echo tick; sleep 1; "
              "done; echo bye; exit 3\"]\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  auto none = p.qpod({"attach", "--index", "2", "talker"});
  CHECK(none.exit_code == 1);
  CHECK(none.err == "no running container #2 found for service \"talker\"\n");

  qpod::it::BackgroundQpod attach(p.dir(), p.name(), {"attach", "--no-stdin", "talker"});
  INFO(attach.output());
  REQUIRE(attach.wait_output("tick"));  // attached: it sees what the container prints now
  REQUIRE(podman({"exec", p.name() + "-talker-1", "touch", "/tmp/go"}).ok());
  CHECK(attach.wait() == 3);
  CHECK(contains(attach.output(), "bye"));
}
