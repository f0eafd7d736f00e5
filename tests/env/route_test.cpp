// Host or container, and the podman command line of a container decision.
#include "env/route.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "podman/env_argv.h"

namespace fs = std::filesystem;
using namespace qpod;
using namespace qpod::env;
using Argv = std::vector<std::string>;

namespace {

compose::QpodEnvironment environment() {
  compose::QpodEnvironment e;
  e.image = "localhost/dev:1";
  e.binaries = {{"make", {}, {}}, {"gdb", {"web"}, {"--cap-add=SYS_PTRACE"}}};
  e.git_root = "/src/repo";
  return e;
}

RouteInput input(std::string argv0, std::string program) {
  return RouteInput{std::move(argv0), std::move(program), "/src/repo", false};
}

}  // namespace

TEST_CASE("route: QPOD_CONTAINER=1 forces the container") {
  auto e = environment();
  RouteInput in = input("ls", "/usr/bin/ls");
  in.force_container = true;
  Decision d = route(&e, in);
  CHECK(d.where == Where::kContainer);
  CHECK(d.reason == "QPOD_CONTAINER=1");
  CHECK_FALSE(d.binary);
}

TEST_CASE("route: a binary listed in the template runs in the container") {
  auto e = environment();
  Decision d = route(&e, input("gdb", "/usr/bin/gdb"));
  CHECK(d.where == Where::kContainer);
  CHECK(d.reason == "\"gdb\" is listed in x-qpod.binaries");
  CHECK(d.binary == compose::QpodBinary{"gdb", {"web"}, {"--cap-add=SYS_PTRACE"}});
  CHECK(route(&e, input("make", "")).where == Where::kContainer);  // not on the host at all
}

TEST_CASE("route: a program inside the repository runs in the container") {
  auto e = environment();
  Decision d = route(&e, input("./build/app", "/src/repo/build/app"));
  CHECK(d.where == Where::kContainer);
  CHECK(d.reason == "/src/repo/build/app is inside the environment (/src/repo)");
  CHECK(route(&e, input("x", "/src/repository/x")).where == Where::kHost);
}

TEST_CASE("route: anything else runs on the host") {
  auto e = environment();
  Decision d = route(&e, input("git", "/usr/bin/git"));
  CHECK(d.where == Where::kHost);
  CHECK(d.reason == "/usr/bin/git is outside the environment");
  CHECK(d.program == "/usr/bin/git");
  CHECK(route(&e, input("nothere", "")).reason == "\"nothere\" is not an environment binary");
  Decision none = route(nullptr, input("make", "/usr/bin/make"));
  CHECK(none.where == Where::kHost);
  CHECK(none.reason == "not in a QPOD environment");
}

TEST_CASE("resolve_program: paths against cwd, names through PATH, the shims folder skipped") {
  fs::path t = fs::temp_directory_path() / ("qpod-route-" + std::to_string(getpid()));
  fs::create_directories(t / "bin");
  fs::create_directories(t / "shims");
  for (const char* p : {"bin/tool", "shims/tool", "shims/other"}) {
    std::ofstream(t / p) << "#!/bin/sh\n";
    chmod((t / p).c_str(), 0755);
  }
  std::ofstream(t / "bin" / "plain") << "not executable\n";
  const std::string path = (t / "shims").string() + ":" + (t / "bin").string();
  CHECK(resolve_program("tool", path, "/", (t / "shims").string()) ==
        (t / "bin" / "tool").string());
  CHECK(resolve_program("tool", path, "/", "") == (t / "shims" / "tool").string());
  CHECK(resolve_program("other", path, "/", (t / "shims").string()).empty());
  CHECK(resolve_program("plain", path, "/", "").empty());
  CHECK(resolve_program("./bin/../bin/tool", "", t.string(), "") == (t / "bin" / "tool").string());
  CHECK(resolve_program("tool", "bin", t.string(), "") == (t / "bin" / "tool").string());
  fs::remove_all(t);
}

TEST_CASE("container_argv: the whole podman run, rootless, with a TTY") {
  compose::Project p;
  p.name = "repo-0123abcd";
  p.qpod = environment();
  p.qpod->mounts = {{"/tmp", "", false}, {"/data", "/d", true}};
  p.qpod->env = {{"CC", "gcc"}, {"A", "1"}};
  p.qpod->default_run_args = {"--network=host"};
  Decision d = route(&*p.qpod, input("gdb", "/usr/bin/gdb"));
  RunContext rc{"/src/repo/sub", true, true, 1000, 1000};
  auto argv = container_argv(p, d, rc, {"gdb", "-q", "a b"});
  REQUIRE(argv.ok());
  CHECK(*argv == Argv{"run",
                      "--rm",
                      "-i",
                      "-t",
                      "--init",
                      "--pod",
                      "repo-0123abcd",
                      "--userns=keep-id",
                      "--volume",
                      "/src/repo:/src/repo",
                      "--volume",
                      "/src/repo:/qpod",
                      "--volume",
                      "/tmp:/tmp",
                      "--volume",
                      "/data:/d:ro",
                      "--workdir",
                      "/src/repo/sub",
                      "--env",
                      "A=1",
                      "--env",
                      "CC=gcc",
                      "--network=host",
                      "--cap-add=SYS_PTRACE",
                      "localhost/dev:1",
                      "gdb",
                      "-q",
                      "a b"});
}

TEST_CASE("container_argv: as root, no TTY, a repository program, cwd outside the root") {
  compose::Project p;
  p.name = "repo-0123abcd";
  p.qpod = environment();
  p.qpod->image.clear();
  p.qpod->build = compose::Build{};
  Decision d = route(&*p.qpod, input("../repo/run.sh", "/src/repo/run.sh"));
  RunContext rc{"/src/other", false, false, 0, 0};
  auto argv = container_argv(p, d, rc, {"../repo/run.sh", "x"});
  REQUIRE(argv.ok());
  CHECK(*argv == Argv{"run", "--rm", "-i", "--init", "--pod", "repo-0123abcd", "--user", "0:0",
                      "--volume", "/src/repo:/src/repo", "--volume", "/src/repo:/qpod", "--workdir",
                      "/src/repo", "localhost/repo-0123abcd-env", "/src/repo/run.sh", "x"});
}

TEST_CASE("container_argv errors: no environment, no image") {
  compose::Project p;
  p.name = "x";
  CHECK(format(container_argv(p, {}, {}, {"a"}).errors()) ==
        "x-qpod: the project has no QPOD environment (x-qpod)\n");
  p.qpod = environment();
  p.qpod->image.clear();
  CHECK(format(container_argv(p, {}, {}, {"a"}).errors()) ==
        "x-qpod: the environment has neither image nor build\n");
}

TEST_CASE("environment_build: the environment image as the one service of a build", "[qenv]") {
  compose::Project p;
  p.name = "repo-1234";
  p.working_dir = "/src/repo";
  p.qpod = environment();
  CHECK_FALSE(environment_build(p));  // an image only: nothing to build
  p.qpod->image.clear();
  p.qpod->build = compose::Build{};
  p.qpod->build->context = "/src/repo/env";
  auto built = environment_build(p);
  REQUIRE(built);
  REQUIRE(built->services.size() == 1);
  const auto& s = built->services.at("repo-1234-env");
  CHECK(s.image == "localhost/repo-1234-env");
  CHECK(s.build->context == "/src/repo/env");
  CHECK(built->name == "repo-1234");
  // The environment container runs what the build tagged.
  auto create = env_container_create(p, RunContext{"/src/repo", false, false, 1000, 100});
  REQUIRE(create);
  CHECK(create->at(create->size() - 2) == "localhost/repo-1234-env");
  // An image name with the build: the build tags it.
  p.qpod->image = "localhost/dev:2";
  CHECK(environment_build(p)->services.at("repo-1234-env").image == "localhost/dev:2");
}

TEST_CASE("environment container: created once with the mounts, exec'd into per command",
          "[qenv]") {
  compose::Project p;
  p.name = "repo-1234";
  p.qpod = environment();
  p.qpod->mounts = {{"/tmp", "", false}};
  p.qpod->env = {{"CC", "gcc"}};
  p.qpod->default_run_args = {"--security-opt=label=disable"};
  RunContext rc{"/src/repo/sub", false, false, 1000, 100};
  auto create = env_container_create(p, rc);
  REQUIRE(create);
  const std::string hash = qpod::podman::env_container_hash(*create);
  Argv without_hash = *create;
  without_hash.erase(without_hash.begin() + 7, without_hash.begin() + 9);
  CHECK(*create == Argv{"run",
                        "--detach",
                        "--name",
                        "repo-1234-env",
                        "--pod",
                        "repo-1234",
                        "--init",
                        "--label",
                        "io.qpod.config-hash=" + qpod::podman::env_container_hash(without_hash),
                        "--label",
                        "io.qpod.project=repo-1234",
                        "--label",
                        "com.docker.compose.project=repo-1234",
                        "--label",
                        "io.qpod.service=repo-1234-env",
                        "--label",
                        "io.qpod.oneoff=True",
                        "--label",
                        "com.docker.compose.oneoff=True",
                        "--user",
                        "1000:100",
                        "--volume",
                        "/src/repo:/src/repo",
                        "--volume",
                        "/src/repo:/qpod",
                        "--volume",
                        "/tmp:/tmp",
                        "--env",
                        "CC=gcc",
                        "--security-opt=label=disable",
                        "--entrypoint",
                        "/run/podman-init",
                        "localhost/dev:1",
                        "-P"});
  // Another mount is another container.
  auto other = p;
  other.qpod->mounts.push_back({"/opt", "/x", true});
  auto other_create = env_container_create(other, rc);
  REQUIRE(other_create);
  CHECK(qpod::podman::env_container_hash(*other_create) != hash);

  Decision make = route(&*p.qpod, input("make", "/usr/bin/make"));
  CHECK(can_exec(make));
  CHECK(env_exec_argv(p, make, rc, {"make", "-j2"}, "QPOD_EXEC_ID=1") ==
        Argv{"exec", "-i", "--user", "1000:100", "--workdir", "/src/repo/sub", "--env",
             "QPOD_EXEC_ID=1", "repo-1234-env", "make", "-j2"});
  rc.rootless = true;
  rc.stdin_tty = true;
  rc.cwd = "/elsewhere";
  Decision tool = route(&*p.qpod, input("./t.sh", "/src/repo/t.sh"));
  CHECK(env_exec_argv(p, tool, rc, {"./t.sh"}, "") ==
        Argv{"exec", "-i", "-t", "--workdir", "/src/repo", "repo-1234-env", "/src/repo/t.sh"});
  // gdb's runArgs are podman run options: its own container.
  CHECK_FALSE(can_exec(route(&*p.qpod, input("gdb", "/usr/bin/gdb"))));
}
