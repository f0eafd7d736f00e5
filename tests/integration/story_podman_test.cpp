// The QPOD workflow end to end, as a user meets it: a fresh clone of a repository that carries a
// template, `qpod shims` and the bash hook, then a declared binary typed in a subfolder runs in
// the environment's pod with the services it needs; `qpod service list` shows them; `qpod watch`
// restarts the service whose watched file a build rewrites. No -p anywhere: the pod's name comes
// from the clone's folder, as it does for a user.
#include <signal.h>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "env/git_root.h"
#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;
using qpod::testing::eventually;
using qpod::testing::read_file;
namespace bp = boost::process;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

qpod::podman::RunResult run_in(const fs::path& dir, const std::string& program,
                               const std::vector<std::string>& args) {
  return qpod::podman::run_process(program, args, dir.string());
}

qpod::podman::RunResult git(const fs::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"-c", "user.name=qpod test", "-c", "user.email=test@qpod.invalid"});
  return run_in(dir, qpod::podman::find_in_path("git"), args);
}

std::string started(const std::string& container) {
  return inspect(container, "{{.State.StartedAt.UnixNano}}");
}

// `hostname` is the declared binary: in a container of the pod it prints the pod's name, on
// the host the machine's. It needs zk (start: binary). web (an HTTP server inside the pod only)
// starts with the environment and restarts when the plugin a build writes changes; tool is
// started by hand only.
std::string story_template() {
  const std::string common = std::string(R"("image": ")") + qpod::it::kImage +
                             R"(", "init": true, "stop_grace_period": "1s", )";
  const std::string service = common + R"("command": ["sleep", "600"])";
  const std::string http = common + R"("command": ["httpd", "-f", "-p", "8080", "-h", "/etc"])";
  return std::string(R"({"name": "story", "image": ")") + qpod::it::kImage + R"(",
  "binaries": [{"name": "hostname", "services": ["zk"]}],
  "services": {
    "web": {)" +
         http + R"(, "watch": ["build/plugin.so"]},
    "zk": {)" +
         service + R"(, "start": "binary"},
    "tool": {)" +
         service + R"(, "start": "manual", "watch": ["tools/"]}
  }})";
}

}  // namespace

TEST_CASE(
    "QPOD story: fresh clone, shims and hook, a declared binary in the pod with its "
    "services, service list, a watched file restarts its service",
    "[podman][qenv][story]") {
  qpod::it::require_podman();
  ProjectGuard origin(qpod::it::project_name("story"));
  const fs::path upstream = origin.dir() / "upstream";
  fs::create_directories(upstream / ".qpod");
  REQUIRE(git(upstream, {"init", "-q"}).exit_code == 0);
  std::ofstream(upstream / ".qpod" / "template.json") << story_template();
  std::ofstream(upstream / ".gitignore") << "/build/\n/.qpod/shims/\n";
  fs::create_directories(upstream / "src");
  std::ofstream(upstream / "src" / "main.c") << "int main() { return 0; }\n";
  REQUIRE(git(upstream, {"add", "-A"}).exit_code == 0);
  REQUIRE(git(upstream, {"commit", "-qm", "a repository with a QPOD template"}).exit_code == 0);

  const fs::path work = origin.dir() / "work";
  REQUIRE(git(origin.dir(), {"clone", "-q", upstream.string(), work.string()}).exit_code == 0);
  // The pod is named from the clone's folder; this guard removes whatever it left.
  ProjectGuard pod(qpod::env::pod_name(work.string()));
  const std::string web = pod.name() + "-web-1", zk = pod.name() + "-zk-1",
                    tool = pod.name() + "-tool-1";

  auto shims = run_in(work / "src", QPOD_BINARY, {"shims"});
  INFO(shims.err);
  REQUIRE(shims.exit_code == 0);
  CHECK(shims.out == (work / ".qpod" / "shims" / "hostname").string() + "\n");

  // What an interactive bash does: the hook from ~/.bashrc, a cd, the prompt runs the hook,
  // the user types `hostname`. Only test-made paths go into the script, quoted.
  const std::string script = std::string("eval \"$('") + QPOD_BINARY + "' hook bash)\"; cd '" +
                             (work / "src").string() +
                             "' && _qpod_hook && type -P hostname && hostname";
  auto typed = run_in(origin.dir(), "/bin/bash", {"--norc", "-c", script});
  INFO(typed.err);
  REQUIRE(typed.exit_code == 0);
  CHECK(typed.out == (work / ".qpod" / "shims" / "hostname").string() + "\n" + pod.name() + "\n");
  CHECK(inspect(pod.name() + "-env", "{{.Pod}}") == inspect(pod.name(), "{{.Id}}", "pod"));
  CHECK(inspect(web, "{{.State.Status}}") == "running");  // start: auto
  CHECK(inspect(zk, "{{.State.Status}}") == "running");   // the binary's service
  CHECK(inspect(tool, "{{.State.Status}}") == "");        // manual: no container

  // Any command, forced into the container, reaches a service by its name.
  auto by_name = run_in(work, "/usr/bin/env",
                        {"QPOD_CONTAINER=1", QPOD_BINARY, "exec-env", "--", "wget", "-q", "-O", "-",
                         "http://web:8080/hostname"});
  INFO(by_name.err);
  CHECK(by_name.exit_code == 0);
  CHECK(by_name.out == pod.name());  // the pod's /etc/hostname (no newline), served by web

  auto list = run_in(work, QPOD_BINARY, {"service", "list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out == "  tool (stopped)\n  web (running)\n  zk (running)\n");

  // qpod watch in the clone; a build writes the plugin web watches.
  const fs::path out = origin.dir() / "watch.out", err = origin.dir() / "watch.err";
  bp::child watch(QPOD_BINARY, bp::args({"watch"}), bp::start_dir(work.string()),
                  bp::std_in.close(), bp::std_out > out.string(), bp::std_err > err.string());
  INFO("watch stdout:\n" << read_file(out) << "watch stderr:\n" << read_file(err));
  REQUIRE(eventually([&] { return read_file(out).find("Watch enabled") != std::string::npos; }));
  CHECK(inspect(tool, "{{.State.Status}}") == "");  // watch's up leaves manual ones alone too
  const std::string web_started = started(web), zk_started = started(zk);
  // tools/ is tool's, a manual service nobody started: the watch leaves it alone.
  fs::create_directories(work / "tools");
  std::ofstream(work / "tools" / "gen.sh") << "echo\n";
  fs::create_directories(work / "build");
  std::ofstream(work / "build" / "plugin.so") << "plugin v2\n";
  CHECK(eventually([&] { return started(web) != web_started; }));
  CHECK(inspect(tool, "{{.State.Status}}") == "");
  CHECK(read_file(out).find("service tool") == std::string::npos);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  CHECK(started(zk) == zk_started);
  ::kill(watch.id(), SIGINT);
  CHECK(eventually([&] { return !watch.running(); }));
  if (watch.running()) watch.terminate();
  watch.wait();

  auto down = run_in(work, QPOD_BINARY, {"down", "-t", "1"});
  CHECK(down.exit_code == 0);
  CHECK(pod.leftovers() == "");
}
