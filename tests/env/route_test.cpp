// Host or container, and the podman command line of a container decision.
#include "env/route.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

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
  CHECK(*argv == Argv{"podman",
                      "run",
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
  CHECK(*argv == Argv{"podman", "run", "--rm", "-i", "--init", "--pod", "repo-0123abcd", "--user",
                      "0:0", "--volume", "/src/repo:/src/repo", "--volume", "/src/repo:/qpod",
                      "--workdir", "/src/repo", "localhost/repo-0123abcd-env", "/src/repo/run.sh",
                      "x"});
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
