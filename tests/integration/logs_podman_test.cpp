// qpod logs and the attached up on real podman: prefixes, --tail, --no-log-prefix,
// --timestamps, colours, `logs -f` across a restart, Ctrl-C, --abort-on-container-exit,
// --exit-code-from, and the ci-env example.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/background_qpod.h"
#include "tests/integration/podman_fixture.h"

using qpod::it::BackgroundQpod;
using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

std::string service(const std::string& name, const std::string& script) {
  return "  " + name + ":\n    image: " + qpod::it::kImage +
         "\n    init: true\n    command: [\"sh\", \"-c\", \"" + script + "\"]\n";
}

// `qpod logs ARGS` until its output holds `text` (containers print asynchronously).
qpod::podman::RunResult logs_until(const ProjectGuard& p, std::vector<std::string> args,
                                   const std::string& text) {
  args.insert(args.begin(), "logs");
  qpod::podman::RunResult r;
  for (int i = 0; i < 100; ++i) {
    r = p.qpod(args);
    if (r.out.find(text) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return r;
}

}  // namespace

TEST_CASE("qpod logs: two services with prefixes, --tail, --no-log-prefix, --timestamps",
          "[podman][logs]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("logs"));
  p.write("compose.yaml", "services:\n" +
                              service("alpha", "echo one; echo two; echo three; exec sleep 600") +
                              service("beta", "echo one >&2; exec sleep 600"));
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);

  auto all = logs_until(p, {}, "alpha-1 | three");
  INFO(all.out << all.err);
  CHECK(all.exit_code == 0);
  // Each container's lines in order (the two streams interleave as they come).
  auto at = [&](const std::string& line) { return all.out.find(line); };
  CHECK(at("alpha-1 | one\n") < at("alpha-1 | two\n"));
  CHECK(at("alpha-1 | two\n") < at("alpha-1 | three\n"));
  CHECK(at("alpha-1 | three\n") != std::string::npos);
  CHECK(logs_until(p, {}, "beta-1  | one").out.find("beta-1  | one\n") != std::string::npos);
  CHECK(all.out.find("\x1b[") == std::string::npos);  // not a terminal: no colour

  CHECK(p.qpod({"logs", "--tail", "1", "alpha"}).out == "alpha-1 | three\n");
  CHECK(p.qpod({"logs", "--no-log-prefix", "alpha"}).out == "one\ntwo\nthree\n");
  auto ts = p.qpod({"logs", "-t", "beta"});
  CHECK(std::regex_match(ts.out, std::regex(R"(beta-1 \| \d{4}-\d\d-\d\dT[0-9:.]+Z one\n)")));

  auto colour = p.qpod({"--ansi", "always", "logs", "alpha", "beta"});
  CHECK(colour.out.find("\x1b[36malpha-1 | \x1b[0mone") != std::string::npos);
  CHECK(colour.out.find("\x1b[33mbeta-1  | \x1b[0mone") != std::string::npos);
  CHECK(p.qpod({"--ansi", "always", "logs", "--no-color"}).out.find("\x1b[") == std::string::npos);

  auto bad = p.qpod({"logs", "nosuch"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("no such service: nosuch") != std::string::npos);
  CHECK(p.qpod({"logs", "--tail", "x"}).exit_code != 0);
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod logs -f follows a service across its restart and ends with the project",
          "[podman][logs]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("logsf"));
  // Each run prints its number (kept in the container's file system across restarts).
  p.write("compose.yaml",
          "services:\n" + service("web",
                                  "n=$$(cat /n 2>/dev/null || echo 0); n=$$((n+1)); "
                                  "echo $$n > /n; echo run-$$n; exec sleep 600"));
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  BackgroundQpod follow(p.dir(), p.name(), {"logs", "-f", "web"});
  REQUIRE(follow.wait_output("web-1 | run-1\n"));
  auto restart = p.qpod({"restart", "-t", "1", "web"});
  REQUIRE(restart.exit_code == 0);
  CHECK(follow.wait_output("web-1 | run-2\n"));
  // down removes the project: the follower ends by itself.
  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(follow.wait(60) == 0);
  std::string out = follow.output();
  INFO(out);
  CHECK(out == "web-1 | run-1\nweb-1 | run-2\n");  // each line once
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up attached: logs with prefixes, Ctrl-C stops the containers",
          "[podman][logs][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("attach"));
  p.write("compose.yaml", "services:\n" + service("db", "echo db ready; exec sleep 600") +
                              service("web", "echo web ready; exec sleep 600") +
                              "    depends_on: [db]\n");
  BackgroundQpod up(p.dir(), p.name(), {"up"});
  REQUIRE(up.wait_output("Attaching to db-1, web-1\n"));
  REQUIRE(up.wait_output("web-1 | web ready\n"));
  REQUIRE(up.wait_output("db-1  | db ready\n"));
  up.signal(SIGINT);
  int code = up.wait(120);
  std::string out = up.output();
  INFO(out);
  CHECK(code == 130);
  CHECK(out.find("Gracefully stopping... (press Ctrl+C again to force)") != std::string::npos);
  CHECK(out.find("Container " + p.name() + "-web-1  Stopped") != std::string::npos);
  CHECK(inspect(p.name() + "-db-1", "{{.State.Status}}") == "exited");
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "exited");
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up -t 30 attached: a second Ctrl-C kills a service that ignores SIGTERM at once",
          "[podman][logs][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("force"));
  // No init: the shell is PID 1 and ignores SIGTERM, so only the kill after -t ends it.
  p.write("compose.yaml", "services:\n  stubborn:\n    image: " + std::string(qpod::it::kImage) +
                              "\n    command: [\"sh\", \"-c\", \"trap '' TERM; echo up; "
                              "while :; do sleep 1; done\"]\n");
  BackgroundQpod up(p.dir(), p.name(), {"up", "-t", "30"});
  REQUIRE(up.wait_output("stubborn-1 | up\n"));
  up.signal(SIGINT);
  REQUIRE(up.wait_output("Gracefully stopping..."));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the podman stop is under way
  auto start = std::chrono::steady_clock::now();
  up.signal(SIGINT);
  int code = up.wait(60);
  auto took = std::chrono::steady_clock::now() - start;
  std::string out = up.output();
  INFO(out);
  CHECK(code == 130);
  // Without the force, the stop waits out its 30 s grace period.
  CHECK(took < std::chrono::seconds(15));
  CHECK(out.find("Forcing: killing the containers...") != std::string::npos);
  CHECK(inspect(p.name() + "-stubborn-1", "{{.State.Status}}") == "exited");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up attached: SIGTERM stops the containers and exits 143",
          "[podman][logs][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("sigterm"));
  p.write("compose.yaml", "services:\n" + service("web", "echo web ready; exec sleep 600"));
  BackgroundQpod up(p.dir(), p.name(), {"up", "-t", "1"});
  REQUIRE(up.wait_output("web-1 | web ready\n"));
  up.signal(SIGTERM);
  int code = up.wait(120);
  std::string out = up.output();
  INFO(out);
  CHECK(code == 143);  // 128 + SIGTERM, as a shell reports it
  CHECK(out.find("Gracefully stopping...") != std::string::npos);
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "exited");
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up --abort-on-container-exit and --exit-code-from give the right exit code",
          "[podman][logs][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("abort"));
  p.write("compose.yaml", "services:\n" + service("long", "echo waiting; exec sleep 600") +
                              service("short", "sleep 1; echo bye; exit 3"));
  std::string long_ctr = p.name() + "-long-1";

  SECTION("--abort-on-container-exit: the exited container's code, everything stopped") {
    BackgroundQpod up(p.dir(), p.name(), {"up", "--abort-on-container-exit"});
    int code = up.wait(120);
    std::string out = up.output();
    INFO(out);
    CHECK(code == 3);
    CHECK(out.find("short-1 | bye\n") != std::string::npos);
    CHECK(out.find("short-1 exited with code 3\n") != std::string::npos);
    CHECK(out.find("Aborting on container exit...") != std::string::npos);
    CHECK(inspect(long_ctr, "{{.State.Status}}") == "exited");
  }
  SECTION("--exit-code-from long: long's code after the stop, not short's") {
    BackgroundQpod up(p.dir(), p.name(), {"up", "--exit-code-from", "long"});
    int code = up.wait(120);
    INFO(up.output());
    CHECK(inspect(long_ctr, "{{.State.Status}}") == "exited");
    CHECK(code != 3);
    CHECK(std::to_string(code) == inspect(long_ctr, "{{.State.ExitCode}}"));
  }
  SECTION("--exit-code-from short") {
    BackgroundQpod up(p.dir(), p.name(), {"up", "--exit-code-from", "short"});
    CHECK(up.wait(120) == 3);
    CHECK(inspect(long_ctr, "{{.State.Status}}") == "exited");
  }
  SECTION("-d with an attach flag is refused, nothing created") {
    auto r = p.qpod({"up", "-d", "--exit-code-from", "short"});
    CHECK(r.exit_code == 1);
    CHECK(p.leftovers() == "");
  }
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up SERVICE --attach-dependencies shows the dependencies' logs too",
          "[podman][logs][attach]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("attachdeps"));
  p.write("compose.yaml", "services:\n" + service("db", "echo db-ready; exec sleep 600") +
                              service("web", "sleep 2; echo web-done; exit 0") +
                              "    depends_on: [db]\n" +
                              service("other", "echo other-line; exec sleep 600"));
  for (bool with_deps : {false, true}) {
    INFO("--attach-dependencies " << with_deps);
    std::vector<std::string> args = {"up", "--abort-on-container-exit"};
    if (with_deps) args.push_back("--attach-dependencies");
    args.push_back("web");
    BackgroundQpod up(p.dir(), p.name(), args, with_deps ? "deps" : "plain");
    CHECK(up.wait(120) == 0);
    const std::string out = up.output();
    INFO(out);
    CHECK(out.find("web-1 | web-done\n") != std::string::npos);
    CHECK((out.find("db-1  | db-ready\n") != std::string::npos) == with_deps);  // (aligned)
    CHECK(out.find(with_deps ? "Attaching to db-1, web-1\n" : "Attaching to web-1\n") !=
          std::string::npos);
    CHECK(out.find("other-line") == std::string::npos);  // not named, not a dependency
    REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  }
  CHECK(p.leftovers() == "");
}

TEST_CASE("examples/ci-env: up --exit-code-from tests returns the test runner's code",
          "[podman][logs][attach][ci-env]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("cienv"));
  std::filesystem::copy_file(
      std::filesystem::path(QPOD_SOURCE_DIR) / "examples/ci-env/compose.yaml",
      p.dir() / "compose.yaml");

  SECTION("passing tests: exit 0") {
    BackgroundQpod up(p.dir(), p.name(), {"--profile", "test", "up", "--exit-code-from", "tests"});
    int code = up.wait(180);
    std::string out = up.output();
    INFO(out);
    CHECK(code == 0);
    CHECK(out.find("migrate-1 exited with code 0") != std::string::npos);
    CHECK(out.find("tests-1 exited with code 0") != std::string::npos);
    CHECK(inspect(p.name() + "-app-1", "{{.State.Status}}") == "exited");
  }
  SECTION("failing tests: their code") {
    p.write("fail.yaml",
            "services:\n  tests:\n    command: [\"sh\", \"-c\", "
            "\"echo failing on purpose; exit 5\"]\n");
    BackgroundQpod up(p.dir(), p.name(),
                      {"-f", "compose.yaml", "-f", "fail.yaml", "--profile", "test", "up",
                       "--exit-code-from", "tests"});
    int code = up.wait(180);
    std::string out = up.output();
    INFO(out);
    CHECK(code == 5);
    CHECK(out.find("tests-1   | failing on purpose") != std::string::npos);
  }
  auto down = p.qpod({"--profile", "test", "down", "-v", "-t", "1"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK(p.leftovers() == "");
}
