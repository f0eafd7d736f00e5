// Replicas (scale, deploy.replicas) on real podman: ps lists each container by name, logs
// prefix each one's lines with its name (also attached `up` and `logs -f`), pause/unpause/kill/rm
// reach every container of the service, scaling down removes the highest numbers and keeps the
// others as they are.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/background_qpod.h"
#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// web: three containers (scale: 3) that print a line and sleep; db: one.
void write_project(const ProjectGuard& p, const std::string& web_keys = "    scale: 3\n") {
  const std::string image = std::string("    image: ") + qpod::it::kImage + "\n";
  p.write("compose.yaml", "services:\n  web:\n" + image +
                              "    init: true\n"
                              "    command: [sh, -c, 'echo hello; exec sleep 600']\n" +
                              web_keys + "  db:\n" + image +
                              "    init: true\n"
                              "    command: [sleep, '600']\n");
}

std::string status(const std::string& container) { return inspect(container, "{{.State.Status}}"); }

bool contains_all(const std::string& text, const std::vector<std::string>& parts) {
  for (const auto& part : parts)
    if (!contains(text, part)) return false;
  return true;
}

// `qpod logs web` until its output holds every one of `texts` (containers print as they run).
auto logs_until(const ProjectGuard& p, const std::vector<std::string>& texts) {
  auto r = p.qpod({"logs", "web"});
  for (int i = 0; i < 100 && !contains_all(r.out, texts); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = p.qpod({"logs", "web"});
  }
  return r;
}

}  // namespace

TEST_CASE("replicas: up starts each, ps lists each by name, logs prefix each one's lines",
          "[podman][scale]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-replicas-ps"));
  write_project(p);
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  const std::string n = p.name();
  for (const char* k : {"1", "2", "3"}) {
    INFO("web-" << k);
    CHECK(status(n + "-web-" + k) == "running");
    CHECK(inspect(n + "-web-" + k,
                  "{{index .Config.Labels \"com.docker.compose.container-number\"}}") == k);
  }

  auto ps = p.qpod({"ps"});
  INFO(ps.out << ps.err);
  CHECK(ps.exit_code == 0);
  for (const char* k : {"1", "2", "3"}) CHECK(contains(ps.out, n + "-web-" + k + " "));
  CHECK(contains(ps.out, n + "-db-1 "));
  auto json = p.qpod({"ps", "--format", "json", "web"});  // only web: its three containers
  INFO(json.out << json.err);
  for (const char* k : {"1", "2", "3"}) CHECK(contains(json.out, "\"Name\":\"" + n + "-web-" + k));
  CHECK_FALSE(contains(json.out, n + "-db-1"));
  auto quiet = p.qpod({"ps", "-q", "web"});
  CHECK(ProjectGuard::lines(quiet.out).size() == 3);

  // Each container's line under its own name (docker compose's "web-2 | ..." prefix).
  auto logs = logs_until(p, {"web-1 | hello\n", "web-2 | hello\n", "web-3 | hello\n"});
  INFO(logs.out << logs.err);
  CHECK(logs.exit_code == 0);
  CHECK(contains(logs.out, "web-1 | hello\n"));
  CHECK(contains(logs.out, "web-2 | hello\n"));
  CHECK(contains(logs.out, "web-3 | hello\n"));
  auto bare = p.qpod({"logs", "--no-log-prefix", "web"});
  CHECK(bare.out == "hello\nhello\nhello\n");

  REQUIRE(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("replicas: pause, unpause, kill and rm reach every container of the service",
          "[podman][scale]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-replicas-signals"));
  write_project(p, "    deploy: {replicas: 3}\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  const std::string n = p.name();
  const std::string db = n + "-db-1";
  const std::vector<std::string> web = {n + "-web-1", n + "-web-2", n + "-web-3"};

  auto pause = p.qpod({"pause", "web"});
  INFO(pause.out << pause.err);
  CHECK(pause.exit_code == 0);
  for (const auto& c : web) CHECK(status(c) == "paused");
  CHECK(status(db) == "running");
  auto unpause = p.qpod({"unpause", "web"});
  INFO(unpause.out << unpause.err);
  CHECK(unpause.exit_code == 0);
  for (const auto& c : web) CHECK(status(c) == "running");

  auto kill = p.qpod({"kill", "web"});
  INFO(kill.out << kill.err);
  CHECK(kill.exit_code == 0);
  for (const auto& c : web) {
    CHECK(qpod::it::trim(qpod::it::podman({"wait", c}).out) == "137");  // SIGKILL
    CHECK(status(c) == "exited");
  }
  CHECK(status(db) == "running");

  auto rm = p.qpod({"rm", "-f", "web"});
  INFO(rm.out << rm.err);
  CHECK(rm.exit_code == 0);
  for (const auto& c : web) CHECK_FALSE(qpod::it::podman({"container", "exists", c}).ok());
  CHECK(status(db) == "running");

  REQUIRE(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("replicas: scaling down removes the highest numbers and keeps the others",
          "[podman][scale]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-replicas-down"));
  write_project(p);
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  const std::string n = p.name();
  std::string id1 = inspect(n + "-web-1", "{{.Id}}"), id2 = inspect(n + "-web-2", "{{.Id}}");
  REQUIRE_FALSE(id1.empty());

  auto two = p.qpod({"scale", "web=2"});
  INFO(two.out << two.err);
  REQUIRE(two.exit_code == 0);
  CHECK_FALSE(qpod::it::podman({"container", "exists", n + "-web-3"}).ok());
  CHECK(inspect(n + "-web-1", "{{.Id}}") == id1);  // kept, not recreated
  CHECK(inspect(n + "-web-2", "{{.Id}}") == id2);
  CHECK(status(n + "-web-2") == "running");

  auto back = p.qpod({"up", "-d"});  // scale: 3 from the file again: only web-3 comes back
  INFO(back.out << back.err);
  REQUIRE(back.exit_code == 0);
  CHECK(status(n + "-web-3") == "running");
  CHECK(inspect(n + "-web-1", "{{.Id}}") == id1);

  REQUIRE(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("replicas: attached up and logs -f show each container's lines under its name",
          "[podman][scale][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s8-replicas-attach"));
  write_project(p);
  const std::string n = p.name();
  qpod::it::BackgroundQpod up(p.dir(), n, {"up"});
  REQUIRE(up.wait_output("web-3 | hello\n"));
  REQUIRE(up.wait_output("web-1 | hello\n"));
  REQUIRE(up.wait_output("web-2 | hello\n"));
  {
    std::string out = up.output();
    INFO(out);
    CHECK(contains(out, "Attaching to db-1, web-1, web-2, web-3\n"));
  }
  // A follower started now gets each container's past line, then what a restart of one of
  // them prints.
  qpod::it::BackgroundQpod follow(p.dir(), n, {"logs", "-f", "web"});
  REQUIRE(follow.wait_output("web-1 | hello\n"));
  REQUIRE(follow.wait_output("web-2 | hello\n"));
  REQUIRE(follow.wait_output("web-3 | hello\n"));
  REQUIRE(qpod::it::podman({"restart", "-t", "1", n + "-web-2"}).ok());
  auto twice = [](const std::string& text, const std::string& line) {
    auto at = text.find(line);
    return at != std::string::npos && text.find(line, at + 1) != std::string::npos;
  };
  for (int i = 0; i < 300 && !twice(follow.output(), "web-2 | hello\n"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(twice(follow.output(), "web-2 | hello\n"));
  CHECK(twice(up.output(), "web-2 | hello\n"));  // the attached up follows it too
  CHECK_FALSE(twice(follow.output(), "web-1 | hello\n"));

  // Ctrl-C stops every replica; down ends the follower.
  up.signal(SIGINT);
  CHECK(up.wait(120) == 130);
  for (const char* k : {"1", "2", "3"}) CHECK(status(n + "-web-" + k) == "exited");
  REQUIRE(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(follow.wait(60) == 0);
  CHECK(p.leftovers() == "");
}
