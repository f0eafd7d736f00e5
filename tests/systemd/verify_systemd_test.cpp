// systemd generate, checked by systemd itself: `systemd-analyze verify` (the systemd package,
// scripts/setup; it needs no running systemd) loads the units of examples/devstack,
// examples/ci-env and a project of tricky values, and its debug dump of each unit shows the
// argv systemd parsed, which must be the argv the generator meant (and for ExecStart, up's).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "podman/podman_argv.h"
#include "systemd/generate.h"
#include "tests/support/load_project.h"
#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"
#include "tests/systemd/unit_reader.h"

using namespace qpod;
using Strings = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

constexpr const char* kAnalyze = "/usr/bin/systemd-analyze";

using Loaded = qpod::testing::LoadedProject;
using qpod::testing::load_project_file;

Loaded example(const std::string& name, Strings profiles = {}) {
  const std::string dir = std::string(QPOD_SOURCE_DIR) + "/examples/" + name;
  return load_project_file(dir + "/compose.yaml", dir, "", std::move(profiles));
}

const char* kTricky = R"(
name: sd-tricky
services:
  store:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo \"100% $$HOME\" 'x y'\necho done;", ";", "#no comment", "", "a\\b"]
    environment:
      SPACED: "a b  c"
      PERCENT: "%n %t %% %"
      DOLLAR: "$$HOME $${PATH} $$"
      SLASHES: "C:\\dir\\"
      NEWLINE_DIRECTIVE: "x\nExecStartPre=/bin/false"
      TAB: "a\tb"
    labels:
      "quoted\"label": "it's \"quoted\""
    volumes:
      - "./data 100%:/data"
    healthcheck:
      test: ["CMD-SHELL", "test -f /etc/passwd && echo '$$ok'"]
      interval: 1500ms
    restart: "on-failure:2"
    secrets:
      - source: token
        uid: "1000"
        mode: 0400
    post_start:
      - command: ["sh", "-c", "echo started > '/tmp/a b'"]
    pre_stop:
      - command: ["echo", "%p", "$$USER"]
  job:
    image: localhost/qpod-busybox:latest
    command: ["true"]
    depends_on:
      store: {condition: service_healthy}
  user:
    image: localhost/qpod-busybox:latest
    depends_on:
      job: {condition: service_completed_successfully}
      store: {condition: service_started, required: false}
    restart: unless-stopped
secrets:
  token:
    file: "./token 100%.txt"
)";

Loaded tricky(const qpod::testing::TempDir& project) {
  project.write("token 100%.txt", "s3cr3t\n");
  return load_project_file(project.write("compose.yaml", kTricky), project.str());
}

struct Written {
  qpod::testing::TempDir dir;
  systemd::Units units;
  Strings paths;
};

void write_units(Written& w, const Loaded& l, systemd::SystemdOptions o = {}) {
  auto u = systemd::generate(l.project, l.graph, o);
  if (!u) FAIL(format(u.errors()));
  w.units = *u;
  for (const auto& f : u->files) w.paths.push_back(w.dir.write("units/" + f.name, f.text));
}

// `user`: as the user manager would load them (`systemctl --user`; %t = $XDG_RUNTIME_DIR).
qpod::testing::Run analyze(const fs::path& dir, const Strings& paths, bool dump = false,
                           bool user = false) {
  Strings args{"verify"};
  if (user) args.insert(args.begin(), "--user");
  args.insert(args.end(), paths.begin(), paths.end());
  Strings env;
  if (dump) env.push_back("SYSTEMD_LOG_LEVEL=debug");
  if (user) env.push_back("XDG_RUNTIME_DIR=" + dir.string());
  return qpod::testing::run(dir, kAnalyze, "systemd-analyze", args, env);
}

// systemd-analyze verify found nothing: exit 0 and not a word on stderr (an unknown key or a
// bad value is only a warning there, with exit 0).
void require_clean(const qpod::testing::Run& r) {
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(r.err.empty());
}

// A word of systemd's dump ("Command Line: ..."): shell quoting with C escapes.
Strings dump_words(const std::string& line) {
  Strings words;
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    if (i >= n) break;
    std::string w;
    bool quoted = false;
    for (; i < n; ++i) {
      char c = line[i];
      if (!quoted && c == ' ') break;
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (c == '\\' && i + 1 < n) {
        char e = line[++i];
        static const std::map<char, char> kC{{'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'a', '\a'},
                                             {'b', '\b'}, {'f', '\f'}, {'v', '\v'}};
        if (auto it = kC.find(e); it != kC.end()) {
          w += it->second;
        } else if (e >= '0' && e <= '7' && i + 2 < n) {
          w += static_cast<char>((e - '0') * 64 + (line[i + 1] - '0') * 8 + (line[i + 2] - '0'));
          i += 2;
        } else {
          w += e;
        }
        continue;
      }
      w += c;
    }
    words.push_back(w);
  }
  return words;
}

// At run time systemd turns $$ into $ (our units hold no other $).
std::string run_time(std::string word) {
  for (std::size_t at = 0; (at = word.find("$$", at)) != std::string::npos; ++at) word.erase(at, 1);
  return word;
}

// Per unit, per Exec key, the argv of each command, from systemd's debug dump.
using Commands = std::map<std::string, std::map<std::string, std::vector<Strings>>>;
Commands dumped(const std::string& out) {
  Commands c;
  std::string unit, key;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    start = end + 1;
    auto b = line.find_first_not_of('\t');
    if (b == std::string::npos) continue;
    std::string text = line.substr(b);
    if (text.rfind("-> Unit ", 0) == 0) {
      unit = text.substr(8, text.size() - 9);
    } else if (text.rfind("-> Exec", 0) == 0) {
      key = text.substr(3, text.size() - 4);
    } else if (text.rfind("Command Line: ", 0) == 0) {
      Strings argv;
      for (const auto& w : dump_words(text.substr(14))) argv.push_back(run_time(w));
      c[unit][key].push_back(argv);
    }
  }
  return c;
}

// What the unit's text says, read by the tests' reader, with the specifiers systemd-analyze
// resolves (a system manager: %t = /run).
Commands written(const systemd::Units& units) {
  Commands c;
  for (const auto& f : units.files) {
    const std::string stem = f.name.substr(0, f.name.rfind('.'));
    for (const auto& e : qpod::testing::read_unit(f.text)) {
      if (e.section != "Service" || e.key.rfind("Exec", 0) != 0) continue;
      c[f.name][e.key].push_back(
          qpod::testing::exec_argv(e.value, {{'t', "/run"}, {'n', f.name}, {'N', stem}}));
    }
  }
  return c;
}

}  // namespace

TEST_CASE("systemd units of examples/devstack pass systemd-analyze verify", "[systemd]") {
  Written w;
  write_units(w, example("devstack"));
  REQUIRE(w.paths.size() == 4);  // the pod, web, zookeeper, dashboard
  require_clean(analyze(w.dir.path(), w.paths));
}

TEST_CASE("systemd units of examples/ci-env pass systemd-analyze verify", "[systemd]") {
  Written w;
  write_units(w, example("ci-env", {"test"}));
  REQUIRE(w.paths.size() == 5);  // the pod, db, migrate, app, tests
  require_clean(analyze(w.dir.path(), w.paths));
  require_clean(analyze(w.dir.path(), w.paths, false, true));  // as user units
}

TEST_CASE("systemd units of tricky values pass systemd-analyze verify", "[systemd]") {
  qpod::testing::TempDir project;
  Written w;
  write_units(w, tricky(project));
  require_clean(analyze(w.dir.path(), w.paths));
}

TEST_CASE("systemd parses every Exec line of the units into the argv qpod meant", "[systemd]") {
  qpod::testing::TempDir project;
  for (const std::string name : {"tricky", "devstack", "ci-env"}) {
    INFO(name);
    Loaded l = name == "tricky" ? tricky(project) : example(name, {"test"});
    Written w;
    write_units(w, l);
    auto r = analyze(w.dir.path(), w.paths, true);
    REQUIRE(r.code == 0);
    Commands by_systemd = dumped(r.out);
    Commands meant = written(w.units);
    REQUIRE(by_systemd.size() == w.units.files.size());
    for (const auto& [unit, keys] : meant) {
      INFO(unit);
      CHECK(by_systemd[unit] == keys);
    }
  }
}

TEST_CASE("systemd runs the tricky service with exactly up's podman argv", "[systemd]") {
  qpod::testing::TempDir project;
  Loaded l = tricky(project);
  Written w;
  write_units(w, l);
  auto r = analyze(w.dir.path(), w.paths, true);
  REQUIRE(r.code == 0);
  Commands c = dumped(r.out);
  const std::string unit = "container-sd-tricky-store-1.service";
  compose::Service s = l.project.services.at("store");
  s.restart.clear();  // systemd restarts it (Restart=on-failure), not podman
  Strings up = podman::container_run(l.project, s);
  Strings expected{"/usr/bin/podman",     "run",  "--cidfile=/run/" + unit + ".ctr-id",
                   "--cgroups=no-conmon", "--rm", "--replace",
                   "--sdnotify=conmon"};
  expected.insert(expected.end(), up.begin() + 1, up.end());
  REQUIRE(c[unit]["ExecStart"].size() == 1);
  CHECK(c[unit]["ExecStart"][0] == expected);
  // The values came through whole: one argument each, % and $ as written.
  CHECK(std::find(up.begin(), up.end(), "PERCENT=%n %t %% %") != up.end());
  CHECK(std::find(up.begin(), up.end(), "DOLLAR=$HOME ${PATH} $") != up.end());
  CHECK(std::find(up.begin(), up.end(), "NEWLINE_DIRECTIVE=x\nExecStartPre=/bin/false") !=
        up.end());
  // rm of the cid file, mkdir of the bind source, the secret's folders and its copy
  REQUIRE(c[unit]["ExecStartPre"].size() == 4);
  CHECK(c[unit]["ExecStartPre"][1] ==
        Strings{"/bin/mkdir", "-p", "--", project.str() + "/data 100%"});
  const std::string copy = podman::host_file_path(l.project, s, true, s.secrets[0]);
  CHECK(c[unit]["ExecStartPre"][3] == Strings{"/usr/bin/install", "-m", "0400", "-o", "1000", "-g",
                                              "0", "-T", "--", project.str() + "/token 100%.txt",
                                              copy});
  CHECK(std::find(up.begin(), up.end(), copy + ":/run/secrets/token:ro") != up.end());
  CHECK(c[unit]["ExecStop"][0] ==
        Strings{"/usr/bin/podman", "exec", "sd-tricky-store-1", "echo", "%p", "$USER"});
}

TEST_CASE("systemd-analyze verify fails on a broken unit, so the checks above can fail",
          "[systemd]") {
  qpod::testing::TempDir dir;
  // A program that does not exist: what the units would be on a host without podman.
  auto missing = dir.write("missing.service", "[Service]\nExecStart=/nonexistent/podman run\n");
  auto r = analyze(dir.path(), {missing});
  CHECK(r.code != 0);
  CHECK(r.err.find("/nonexistent/podman") != std::string::npos);
  // An unknown key: exit 0, but a warning on stderr, which require_clean refuses.
  auto unknown =
      dir.write("unknown.service", "[Service]\nExecStart=/usr/bin/podman ps\nRestartt=always\n");
  auto u = analyze(dir.path(), {unknown});
  CHECK(u.code == 0);
  CHECK(u.err.find("Unknown key") != std::string::npos);
  // Generated units with a podman that is not there fail too.
  Written w;
  systemd::SystemdOptions o;
  o.podman = "/nonexistent/podman";
  write_units(w, example("ci-env"), o);
  auto g = analyze(w.dir.path(), w.paths);
  CHECK(g.code != 0);
  CHECK(g.err.find("is not executable") != std::string::npos);
}
