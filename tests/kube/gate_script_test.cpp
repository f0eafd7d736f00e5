// The wrapper script of kube/pod_gates.h run by this machine's shells (sh, and busybox sh as in
// the test image) with the arguments the generator writes, its marker folder moved to a
// temporary one: the argv arrives intact, markers are written and waited for.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kube/pod_gates.h"
#include "podman/process.h"
#include "tests/support/temp_dir.h"

using namespace qpod;
using Strings = std::vector<std::string>;

namespace {

struct Shell {
  std::string binary;
  Strings prefix;  // {"sh"} for busybox
};

std::vector<Shell> shells() {
  std::vector<Shell> out{{"/bin/sh", {}}};
  std::string busybox = podman::find_in_path("busybox");
  if (busybox.empty() && std::filesystem::exists("/bin/busybox")) busybox = "/bin/busybox";
  if (!busybox.empty()) out.push_back({busybox, {"sh"}});
  return out;
}

// kGateScript with its folder moved to `dir` (the only change).
std::string script_in(const std::string& dir) {
  std::string s = kube::kGateScript;
  const std::string from = std::string("g=") + kube::kGateDir + " ";
  REQUIRE(s.rfind(from, 0) == 0);
  return "g=" + kube::shell_quote(dir) + " " + s.substr(from.size());
}

podman::RunResult gate(const Shell& sh, const std::string& dir, const Strings& options,
                       const Strings& argv) {
  Strings args = sh.prefix;
  args.insert(args.end(), {"-c", script_in(dir), "qpod-gate"});
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("--");
  args.insert(args.end(), argv.begin(), argv.end());
  return podman::run_process(sh.binary, args);
}

std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE(
    "kube gate script: the argv runs as given, one-shots leave their exit code for dependants") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    // Words with spaces, quotes and shell syntax arrive as they are: nothing is re-parsed.
    auto echo = gate(sh, dir.str(), {}, {"printf", "%s\\n", "a b", "$(exit 9)", "it's", "--"});
    CHECK(echo.exit_code == 0);
    CHECK(echo.out == "a b\n$(exit 9)\nit's\n--\n");

    // A one-shot (mode run): its exit code is the container's and is left in NAME.exit.
    auto fail = gate(sh, dir.str(), {"name", "job", "mode", "run"}, {"sh", "-c", "exit 3"});
    CHECK(fail.exit_code == 3);
    CHECK(read(dir / "job.exit") == "3\n");
    CHECK(std::filesystem::exists(dir / "job.started"));
    auto blocked = gate(sh, dir.str(), {"completed", "job"}, {"echo", "ran"});
    CHECK(blocked.exit_code == 1);
    CHECK(blocked.out.empty());
    CHECK(blocked.err.find("job did not complete successfully") != std::string::npos);
    // A named dependant whose wait failed fails for its own dependants too.
    auto chained = gate(sh, dir.str(), {"name", "app", "completed", "job"}, {"echo", "ran"});
    CHECK(chained.exit_code == 1);
    CHECK(read(dir / "app.exit") == "1\n");
    CHECK_FALSE(std::filesystem::exists(dir / "app.started"));
    auto runner = gate(sh, dir.str(), {"healthy", "app"}, {"echo", "ran"});
    CHECK(runner.exit_code == 1);
    CHECK(runner.err.find("app is unhealthy") != std::string::npos);
    auto side = gate(sh, dir.str(), {"started", "app"}, {"echo", "ran"});
    CHECK(side.exit_code == 1);
    CHECK(side.err.find("app failed before it started") != std::string::npos);

    // Run again, it removes its old markers first, and this time completes.
    auto ok = gate(sh, dir.str(), {"name", "job", "mode", "run"}, {"true"});
    CHECK(ok.exit_code == 0);
    CHECK(read(dir / "job.exit") == "0\n");
    auto after = gate(sh, dir.str(), {"completed", "job", "started", "job"}, {"echo", "ran"});
    CHECK(after.exit_code == 0);
    CHECK(after.out == "ran\n");
  }
}

TEST_CASE(
    "kube gate script: a service marks itself healthy from its own healthcheck, dependants wait "
    "for it") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    const std::string flag = dir / "it's ready";
    compose::Healthcheck h;
    h.test = {"CMD", "test", "-e", flag};
    // Unhealthy at first (after one try), healthy once the program made the file.
    auto db = gate(
        sh, dir.str(),
        {"name", "db", "health", kube::health_shell(h), "every", "1", "tries", "1", "timeout", "5"},
        {"sh", "-c", "sleep 1; : > \"$0\"; sleep 2", flag});
    CHECK(db.exit_code == 0);
    CHECK(std::filesystem::exists(dir / "db.unhealthy"));
    CHECK(std::filesystem::exists(dir / "db.healthy"));
    auto app = gate(sh, dir.str(), {"healthy", "db"}, {"echo", "served"});
    CHECK(app.exit_code == 0);
    CHECK(app.out == "served\n");

    // A dependency marked unhealthy and not healthy: the dependant gives up, as `up` does.
    std::ofstream(dir / "bad.unhealthy").close();
    auto gave_up = gate(sh, dir.str(), {"healthy", "bad"}, {"echo", "served"});
    CHECK(gave_up.exit_code == 1);
    CHECK(gave_up.err.find("bad is unhealthy") != std::string::npos);

    // The dependant runs a healthcheck itself (the dependency's argv unknown).
    auto tested = gate(sh, dir.str(), {"test", kube::health_shell(h)}, {"echo", "went"});
    CHECK(tested.out == "went\n");
  }
}
