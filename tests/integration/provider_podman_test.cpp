// Provider services on real podman, through the qpod binary: a tiny provider program (a shell
// script put first on PATH) prints Compose's JSON lines, and a busybox service that depends on
// it sees the variables it handed over.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;
using qpod::testing::eventually;
using qpod::testing::read_file;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `dir` first on PATH while it lives (qpod, run by the test, inherits it).
class PathFirst {
 public:
  explicit PathFirst(const std::filesystem::path& dir) {
    const char* old = std::getenv("PATH");
    old_ = old ? old : "";
    ::setenv("PATH", (dir.string() + ":" + old_).c_str(), 1);
  }
  ~PathFirst() { ::setenv("PATH", old_.c_str(), 1); }
  PathFirst(const PathFirst&) = delete;
  PathFirst& operator=(const PathFirst&) = delete;

 private:
  std::string old_;
};

// bin/tinycloud: logs each call's arguments to calls.log, answers `up` with an info line and
// the variables (URL from $TINY_URL when set: the project's .env gives it), `down` with an info
// line; `compose metadata` gets nothing (no metadata).
void write_provider(const ProjectGuard& p) {
  std::filesystem::create_directories(p.dir() / "bin");
  p.write("bin/tinycloud", R"(#!/bin/sh
echo "$*" >> "$(dirname "$0")/../calls.log"
case "$3" in
  up)
    echo '{"type": "info", "message": "provisioning"}'
    echo '{"type": "debug", "message": "not shown"}'
    echo "{\"type\": \"setenv\", \"message\": \"URL=${TINY_URL:-tiny://db:1234/x?y=1}\"}"
    echo '{"type": "rawsetenv", "message": "TOKEN=abc def"}'
    ;;
  down)
    echo '{"type": "info", "message": "released"}'
    ;;
esac
)");
  ::chmod((p.dir() / "bin" / "tinycloud").c_str(), 0755);
}

// A project of `app` (sleeping; `app_keys` added to it) that depends on provider service `db`
// of type `type`.
std::string app_on_provider(const std::string& type, const std::string& app_keys = "") {
  return std::string("services:\n  app:\n    image: ") + qpod::it::kImage +
         "\n    command: [\"sleep\", \"600\"]\n    depends_on: [db]\n" + app_keys +
         "  db:\n    provider:\n      type: " + type + "\n";
}

}  // namespace

TEST_CASE(
    "provider: up runs the provider program, its variables reach the dependant, down calls it",
    "[podman][provider]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("provider"));
  write_provider(p);
  p.write("compose.yaml", std::string(R"(services:
  app:
    image: )") + qpod::it::kImage +
                              R"(
    command: ["sh", "-c", "echo \"url=$$DB_URL token=$$TOKEN\"; sleep 600"]
    depends_on: [db]
  db:
    provider:
      type: tinycloud
      options:
        size: 1
        zone: [a, b c]
)");
  PathFirst path(p.dir() / "bin");
  const std::string app = p.name() + "-app-1";

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.ok());
  CHECK(contains(up.out, "provisioning"));
  CHECK_FALSE(contains(up.out + up.err, "not shown"));
  std::string calls = read_file(p.dir() / "calls.log");
  CHECK(contains(calls,
                 "compose --project-name=" + p.name() + " up --size=1 --zone=a --zone=b c db\n"));
  // The container got both variables, as podman sees them and as the service prints them.
  std::string env = inspect(app, "{{range .Config.Env}}{{println .}}{{end}}");
  CHECK(contains(env, "DB_URL=tiny://db:1234/x?y=1\n"));
  CHECK(contains(env, "TOKEN=abc def\n"));
  CHECK(eventually([&] {
    return contains(qpod::it::podman({"logs", app}).out, "url=tiny://db:1234/x?y=1 token=abc def");
  }));
  // No container for the provider's service.
  CHECK(inspect(p.name() + "-db-1", "{{.Name}}").empty());

  // Again: the provider runs again (its up is idempotent), the container is current and stays.
  std::string id = inspect(app, "{{.Id}}");
  auto again = p.qpod({"up", "-d"});
  INFO(again.out << again.err);
  REQUIRE(again.ok());
  CHECK(inspect(app, "{{.Id}}") == id);

  auto down = p.qpod({"down"});
  INFO(down.out << down.err);
  REQUIRE(down.ok());
  CHECK(contains(read_file(p.dir() / "calls.log"),
                 "compose --project-name=" + p.name() + " down --size=1 --zone=a --zone=b c db\n"));
  CHECK(p.leftovers().empty());
}

TEST_CASE("provider: a missing provider program is an error naming it, and nothing is created",
          "[podman][provider]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("provider-missing"));
  p.write("compose.yaml", app_on_provider("qpod-no-such-provider"));
  auto up = p.qpod({"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "service db: provider program qpod-no-such-provider not found in PATH"));
  CHECK(p.leftovers().empty());
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
}

TEST_CASE(
    "provider: the program sees the project's .env, and a changed value recreates the "
    "dependant",
    "[podman][provider]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("provider-change"));
  write_provider(p);
  p.write("compose.yaml", app_on_provider("tinycloud"));
  REQUIRE(std::getenv("TINY_URL") == nullptr);  // only .env gives it
  p.write(".env", "TINY_URL=tiny://one\n");
  PathFirst path(p.dir() / "bin");
  const std::string app = p.name() + "-app-1";
  auto env_of = [&] { return inspect(app, "{{range .Config.Env}}{{println .}}{{end}}"); };

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.ok());
  CHECK(contains(env_of(), "DB_URL=tiny://one\n"));
  const std::string first = inspect(app, "{{.Id}}");
  CHECK_FALSE(inspect(app, "{{index .Config.Labels \"io.qpod.provided-hash\"}}").empty());

  // The same value: current, kept.
  auto same = p.qpod({"up", "-d"});
  INFO(same.out << same.err);
  REQUIRE(same.ok());
  CHECK(inspect(app, "{{.Id}}") == first);

  // A new value: the container is replaced and has it.
  p.write(".env", "TINY_URL=tiny://two\n");
  auto changed = p.qpod({"up", "-d"});
  INFO(changed.out << changed.err);
  REQUIRE(changed.ok());
  CHECK(inspect(app, "{{.Id}}") != first);
  CHECK(contains(env_of(), "DB_URL=tiny://two\n"));
  CHECK(inspect(app, "{{.State.Status}}") == "running");

  REQUIRE(p.qpod({"down", "-t", "1"}).ok());
  CHECK(p.leftovers().empty());
}

TEST_CASE("provider: a run one-off of a dependant gets the variables, and its post_start hooks run",
          "[podman][provider]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("provider-run"));
  write_provider(p);
  p.write("compose.yaml", app_on_provider("tinycloud", R"(    post_start:
      - command: ["sh", "-c", "echo hooked > /tmp/hooked"]
)"));
  PathFirst path(p.dir() / "bin");

  // In the foreground: the hook runs alongside; the command waits (up to 30 s) for its file.
  auto run = p.qpod({"run", "--rm", "-T", "app", "sh", "-c",
                     "i=0; while [ ! -f /tmp/hooked ] && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); "
                     "done; echo \"url=$DB_URL token=$TOKEN hook=$(cat /tmp/hooked)\""});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out == "url=tiny://db:1234/x?y=1 token=abc def hook=hooked\n");
  CHECK(contains(read_file(p.dir() / "calls.log"),
                 "compose --project-name=" + p.name() + " up db\n"));

  // Detached: the hook has run when run returns.
  const std::string bg = p.name() + "-bg";
  auto detached = p.qpod({"run", "-d", "--name", bg, "app"});
  INFO(detached.out << detached.err);
  REQUIRE(detached.exit_code == 0);
  CHECK(qpod::it::podman({"exec", bg, "cat", "/tmp/hooked"}).out == "hooked\n");
  CHECK(contains(inspect(bg, "{{range .Config.Env}}{{println .}}{{end}}"),
                 "DB_URL=tiny://db:1234/x?y=1\n"));

  REQUIRE(p.qpod({"down", "-t", "1"}).ok());
  CHECK(p.leftovers().empty());
}
