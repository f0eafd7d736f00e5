// The wrapper script of kube/pod_gates.h run by this machine's shells (sh, and busybox sh as in
// the test image) with the arguments the generator writes, its marker folder moved to a
// temporary one: the argv arrives intact, markers are written and waited for.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
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

// The wrapper started in the background by a harness shell, its stderr in `err`; once `err` is
// not empty (at most 30 s), the wrapper gets SIGTERM. out: the wrapper's stdout, then "rc=N".
podman::RunResult gate_then_term(const Shell& sh, const std::string& dir, const Strings& options,
                                 const Strings& argv, const std::string& err) {
  const char* harness =
      R"(e=$1; shift; "$@" 2>"$e" & p=$!; n=0
until [ -s "$e" ] || [ "$n" -ge 300 ]; do sleep 0.1; n=$((n + 1)); done
kill -TERM "$p"; wait "$p"; echo "rc=$?")";
  Strings args{"-c", harness, "harness", err, sh.binary};
  args.insert(args.end(), sh.prefix.begin(), sh.prefix.end());
  args.insert(args.end(), {"-c", script_in(dir), "qpod-gate"});
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("--");
  args.insert(args.end(), argv.begin(), argv.end());
  return podman::run_process("/bin/sh", args);
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
    CHECK(runner.err.find("dependency failed to start: app exited (1)") != std::string::npos);
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
    CHECK(gave_up.err.find("dependency failed to start: bad is unhealthy") != std::string::npos);

    // The dependant runs a healthcheck itself (the dependency's argv unknown).
    auto tested = gate(sh, dir.str(), {"test", kube::health_shell(h)}, {"echo", "went"});
    CHECK(tested.out == "went\n");
  }
}

TEST_CASE(
    "kube gate script: a dependency that exits before it is healthy fails the dependant that "
    "waits for it") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    // The dependant waits first; db never passes its check and exits 3.
    auto app = std::async(std::launch::async, [&] {
      return gate(sh, dir.str(), {"healthy", "db"}, {"echo", "served"});
    });
    auto db = gate(sh, dir.str(),
                   {"name", "db", "health", "test -e /qpod-never", "every", "1", "tries", "100",
                    "timeout", "5", "mode", "run"},
                   {"sh", "-c", "sleep 1; exit 3"});
    CHECK(db.exit_code == 3);
    CHECK(read(dir / "db.exit") == "3\n");
    CHECK(std::filesystem::exists(dir / "db.started"));
    CHECK_FALSE(std::filesystem::exists(dir / "db.healthy"));
    auto served = app.get();
    CHECK(served.exit_code == 1);
    CHECK(served.out.empty());
    CHECK(served.err.find("qpod-gate: dependency failed to start: db exited (3)") !=
          std::string::npos);
    // service_started asks only that it started (compose does not look again).
    auto side = gate(sh, dir.str(), {"started", "db"}, {"echo", "side"});
    CHECK(side.exit_code == 0);
    CHECK(side.out == "side\n");
  }
}

TEST_CASE(
    "kube gate script: a wrapper that runs its argv as a child passes SIGTERM on and exits with "
    "its code") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    auto r = gate_then_term(
        sh, dir.str(), {"name", "db", "mode", "run"},
        {"sh", "-c",
         "trap 'echo got TERM; exit 7' TERM; echo ready >&2; while :; do sleep 1; done"},
        dir / "err");
    CHECK(r.out == "got TERM\nrc=7\n");
    CHECK(read(dir / "db.exit") == "7\n");
  }
}

TEST_CASE(
    "kube gate script: a one-shot that completed is not run again when restarted, a failed one "
    "only under on-failure") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    const std::string runs = dir / "runs";
    // on-failure (mode retry): restarted after a failure, it runs again.
    auto failed = gate(sh, dir.str(), {"name", "job", "mode", "retry"},
                       {"sh", "-c", "echo ran >> \"$0\"; exit 3", runs});
    CHECK(failed.exit_code == 3);
    auto ok = gate(sh, dir.str(), {"name", "job", "mode", "retry"},
                   {"sh", "-c", "echo ran >> \"$0\"", runs});
    CHECK(ok.exit_code == 0);
    CHECK(read(runs) == "ran\nran\n");
    // Restarted after it completed: it says so and stays up, idle, until SIGTERM.
    for (const char* mode : {"once", "retry"}) {
      std::filesystem::remove(dir / "err");  // the harness waits for the wrapper's first words
      auto idle = gate_then_term(sh, dir.str(), {"name", "job", "mode", mode},
                                 {"sh", "-c", "echo ran >> \"$0\"", runs}, dir / "err");
      CHECK(idle.out == "rc=0\n");
      CHECK(read(dir / "err") ==
            "qpod-gate: job completed successfully in this Pod already: not run again\n");
    }
    CHECK(read(runs) == "ran\nran\n");
    CHECK(read(dir / "job.exit") == "0\n");  // its dependants still see it completed
    auto after = gate(sh, dir.str(), {"completed", "job"}, {"echo", "went"});
    CHECK(after.out == "went\n");

    // restart: no (mode once): restarted after a failure, it is not run again either, and its
    // dependants still see the failure.
    const std::string once_runs = dir / "once-runs";
    auto fails = gate(sh, dir.str(), {"name", "mig", "mode", "once"},
                      {"sh", "-c", "echo ran >> \"$0\"; exit 4", once_runs});
    CHECK(fails.exit_code == 4);
    std::filesystem::remove(dir / "err");
    auto still = gate_then_term(sh, dir.str(), {"name", "mig", "mode", "once"},
                                {"sh", "-c", "echo ran >> \"$0\"", once_runs}, dir / "err");
    CHECK(still.out == "rc=0\n");
    CHECK(read(dir / "err") == "qpod-gate: mig exited (4) in this Pod already: not run again\n");
    CHECK(read(once_runs) == "ran\n");
    CHECK(read(dir / "mig.exit") == "4\n");
    auto dependant = gate(sh, dir.str(), {"completed", "mig"}, {"echo", "went"});
    CHECK(dependant.exit_code == 1);
    CHECK(dependant.out.empty());
  }
}

TEST_CASE(
    "kube gate script: markers go to the folder of the Pod's uid, other Pods' folders are "
    "removed") {
  for (const auto& sh : shells()) {
    INFO(sh.binary);
    qpod::testing::TempDir dir;
    // A Pod removed and played again on the same volume: its old one-shot completed.
    std::filesystem::create_directories(dir / "old-pod");
    std::ofstream(dir / "old-pod/job.exit") << "0\n";
    Shell in_pod{"/usr/bin/env", {"QPOD_GATE_POD=new-pod", sh.binary}};
    in_pod.prefix.insert(in_pod.prefix.end(), sh.prefix.begin(), sh.prefix.end());
    auto job = gate(in_pod, dir.str(), {"name", "job", "mode", "once"}, {"echo", "ran"});
    CHECK(job.exit_code == 0);
    CHECK(job.out == "ran\n");  // run again: the old Pod's marker is not this Pod's
    CHECK_FALSE(std::filesystem::exists(dir / "old-pod"));
    CHECK(read(dir / "new-pod/job.exit") == "0\n");
    CHECK_FALSE(std::filesystem::exists(dir / "job.exit"));
    auto app = gate(in_pod, dir.str(), {"completed", "job"}, {"echo", "went"});
    CHECK(app.out == "went\n");
    // A value that is not a uid is not a path: the markers stay in the folder itself.
    Shell odd{"/usr/bin/env", {"QPOD_GATE_POD=../x", sh.binary}};
    odd.prefix.insert(odd.prefix.end(), sh.prefix.begin(), sh.prefix.end());
    CHECK(gate(odd, dir.str(), {"name", "other", "mode", "run"}, {"true"}).exit_code == 0);
    CHECK(read(dir / "other.exit") == "0\n");
    CHECK(std::filesystem::exists(dir / "new-pod"));
  }
}
