// systemd generate with real podman, without systemd: the Exec lines of the generated units
// run in the order systemd runs them (the pod's start, then each container's in dependency
// order; stops in reverse), each split into its argv as systemd splits it (tests/systemd/
// unit_reader.h, checked against systemd's own parser in verify_systemd_test.cpp), with %t
// a private folder. podman inspect then sees what `up` would make.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "podman/process.h"
#include "systemd/generate.h"
#include "tests/integration/podman_fixture.h"
#include "tests/support/load_project.h"
#include "tests/systemd/unit_reader.h"

using namespace qpod;
using Strings = std::vector<std::string>;

namespace {

struct Command {
  Strings argv;
  bool may_fail = false;  // the "-" prefix
};

// The unit's `key` commands, specifiers resolved as systemd would (%t: `runtime`).
std::vector<Command> commands(const systemd::UnitFile& f, const std::string& key,
                              const std::string& runtime) {
  std::vector<Command> out;
  const std::string stem = f.name.substr(0, f.name.rfind('.'));
  for (const auto& e : qpod::testing::read_unit(f.text)) {
    if (e.section != "Service" || e.key != key) continue;
    Command c;
    c.may_fail = !e.value.empty() && e.value[0] == '-';
    c.argv = qpod::testing::exec_argv(e.value, {{'t', runtime}, {'n', f.name}, {'N', stem}});
    out.push_back(c);
  }
  return out;
}

// Runs the unit's `keys` commands in order; the first failure (without "-") fails the test.
void run_unit(const systemd::UnitFile& f, const Strings& keys, const std::string& runtime) {
  for (const auto& key : keys)
    for (const auto& c : commands(f, key, runtime)) {
      auto r = podman::run_process(c.argv[0], Strings(c.argv.begin() + 1, c.argv.end()));
      INFO(f.name << " " << key << ": " << c.argv[0] << " " << (c.argv.size() > 1 ? c.argv[1] : "")
                  << " exit " << r.exit_code << "\n"
                  << r.err);
      if (!c.may_fail) REQUIRE(r.ok());
    }
}

}  // namespace

TEST_CASE("systemd units of examples/ci-env bring up its pod when their commands run",
          "[podman][systemd]") {
  it::require_podman();
  it::ProjectGuard guard(it::project_name("systemd"));
  const std::string dir = std::string(QPOD_SOURCE_DIR) + "/examples/ci-env";
  auto l = qpod::testing::load_project_file(dir + "/compose.yaml", dir, guard.name());
  systemd::SystemdOptions o;
  if (auto podman = podman::find_in_path("podman"); !podman.empty()) o.podman = podman;
  auto units = systemd::generate(l.project, l.graph, o);
  REQUIRE(units.ok());
  const std::string runtime = (guard.dir() / "run").string();
  std::filesystem::create_directories(runtime);

  // Start: the pod unit first, then the containers (the files are in start order).
  for (const auto& f : units->files)
    run_unit(f, {"ExecStartPre", "ExecStart", "ExecStartPost"}, runtime);
  const std::string n = guard.name();
  CHECK(it::inspect(n, "{{.State}}", "pod") == "Running");
  CHECK(it::inspect(n + "-db-1", "{{.State.Status}}") == "running");
  CHECK(it::inspect(n + "-db-1", "{{.State.Health.Status}}") == "healthy");  // the wait passed
  CHECK(it::inspect(n + "-app-1", "{{.State.Status}}") == "running");
  // migrate ran attached to the end (its unit is a oneshot), and --rm removed it.
  CHECK_FALSE(it::podman({"container", "exists", n + "-migrate-1"}).ok());
  // The app read what migrate wrote into the store: the order held.
  auto page = it::podman({"exec", n + "-app-1", "cat", "/www/index.html"});
  CHECK(it::trim(page.out) == "app up, schema 2");
  // The containers carry up's labels: qpod sees them as its own.
  CHECK(it::inspect(n + "-app-1", "{{index .Config.Labels \"io.qpod.service\"}}") == "app");

  // Stop: containers in reverse order, then the pod; nothing but the volume is left.
  for (auto f = units->files.rbegin(); f != units->files.rend(); ++f)
    run_unit(*f, {"ExecStop", "ExecStopPost"}, runtime);
  CHECK_FALSE(it::podman({"pod", "exists", n}).ok());
  auto left = it::podman({"ps", "--all", "--quiet", "--filter", "label=io.qpod.project=" + n});
  CHECK(it::trim(left.out).empty());
}
