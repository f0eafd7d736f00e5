// QPOD environments on real podman: exec-env's container path, services started by the rules,
// `service list`, `qpod exec` and `qpod run`. Each test's repository is its ProjectGuard's folder
// (made a git repository), run under the guard's unique project name.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;
namespace fs = std::filesystem;

namespace {

constexpr const char* kWhere = "test -e /run/.containerenv && echo container || echo host";

// Makes the guard's folder a git repository with `template_json` as its template.
void make_repo(const ProjectGuard& p, const std::string& template_json) {
  auto r = qpod::podman::run_process(qpod::podman::find_in_path("git"), {"init", "-q"},
                                     p.dir().string());
  REQUIRE(r.exit_code == 0);
  fs::create_directories(p.dir() / ".qpod");
  p.write(".qpod/template.json", template_json);
}

// qpod -p NAME ARGS in `dir`, with extra environment variables ("K=V").
qpod::podman::RunResult qpod_in(const ProjectGuard& p, const fs::path& dir,
                                std::vector<std::string> args,
                                const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = env;
  argv.insert(argv.end(), {QPOD_BINARY, "-p", p.name()});
  argv.insert(argv.end(), args.begin(), args.end());
  return qpod::podman::run_process("/usr/bin/env", argv, dir.string());
}

// A shell command line (for pipes and signals): only test-made, quoted paths go in.
qpod::podman::RunResult shell(const ProjectGuard& p, const std::string& script) {
  return qpod::podman::run_process("/bin/sh", {"-c", script}, p.dir().string());
}

std::string qpod_line(const ProjectGuard& p) {
  return std::string("'") + QPOD_BINARY + "' -p '" + p.name() + "'";
}

std::string simple_template() {
  return std::string(R"({"name": "t", "image": ")") + qpod::it::kImage +
         R"(", "binaries": [{"name": "cat"}], "env": {"GREETING": "hello"}})";
}

int port_for_test() { return 20000 + static_cast<int>(getpid() % 20000); }

std::string services_template(int port) {
  const std::string img = qpod::it::kImage;
  const std::string p = std::to_string(port);
  return R"({"name": "t", "image": ")" + img + R"(",
  "binaries": [{"name": "id", "services": ["zk"]}],
  "services": {
    "web": {"command": ["httpd", "-f", "-p", ")" +
         p + R"("], "init": true,
            "ports": [")" +
         p + ":" + p + R"("]},
    "zk": {"command": ["sleep", "600"], "init": true, "start": "binary"},
    "tool": {"command": ["sleep", "600"], "init": true, "start": "manual"}
  }})";
}

}  // namespace

TEST_CASE("exec-env: each routing rule, really run", "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-route"));
  make_repo(p, simple_template());
  p.write("tool.sh", std::string("#!/bin/sh\n") + kWhere + "\n");
  fs::permissions(p.dir() / "tool.sh", fs::perms::owner_all, fs::perm_options::add);

  auto host = qpod_in(p, p.dir(), {"exec-env", "--", "sh", "-c", kWhere});
  CHECK(host.exit_code == 0);
  CHECK(host.out == "host\n");
  auto forced = qpod_in(p, p.dir(), {"exec-env", "--", "sh", "-c", kWhere}, {"QPOD_CONTAINER=1"});
  INFO(forced.err);
  CHECK(forced.exit_code == 0);
  CHECK(forced.out == "container\n");
  // Listed: cat finds the file only in a container.
  auto listed = qpod_in(p, p.dir(), {"exec-env", "--", "cat", "/run/.containerenv"});
  CHECK(listed.exit_code == 0);
  auto in_repo = qpod_in(p, p.dir(), {"exec-env", "--", "./tool.sh"});
  CHECK(in_repo.exit_code == 0);
  CHECK(in_repo.out == "container\n");
  // The environment container is one-off of the project, in its pod.
  CHECK(inspect(p.name() + "-env", "{{.State.Status}}") == "running");
  CHECK(inspect(p.name() + "-env", "{{index .Config.Labels \"io.qpod.oneoff\"}}") == "True");
  CHECK(inspect(p.name() + "-env", "{{.Pod}}") == inspect(p.name(), "{{.Id}}", "pod"));
  REQUIRE(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("exec-env: both mount paths, working dir, owner, env, exit code, stdin",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-mounts"));
  make_repo(p, simple_template());
  p.write("marker.txt", "m\n");
  fs::create_directories(p.dir() / "sub");
  const std::string root = p.dir().string();
  const std::string script =
      "pwd; cat /qpod/marker.txt; echo made > out.txt; id -u; id -g; echo $GREETING";
  const std::string expected =
      root + "/sub\nm\n" + std::to_string(getuid()) + "\n" + std::to_string(getgid()) + "\nhello\n";

  for (const char* mode : {"exec", "run"}) {
    INFO("QPOD_ENV_MODE=" << mode);
    const std::vector<std::string> env = {"QPOD_CONTAINER=1", std::string("QPOD_ENV_MODE=") + mode};
    fs::remove(p.dir() / "sub" / "out.txt");
    auto r = qpod_in(p, p.dir() / "sub", {"exec-env", "--", "sh", "-c", script}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == expected);
    struct stat st {};
    REQUIRE(stat((p.dir() / "sub" / "out.txt").c_str(), &st) == 0);
    CHECK(st.st_uid == getuid());
    CHECK(st.st_gid == getgid());

    auto seven = qpod_in(p, p.dir(), {"exec-env", "--", "sh", "-c", "exit 7"}, env);
    CHECK(seven.exit_code == 7);
    auto piped = shell(p, std::string("echo hi | env QPOD_CONTAINER=1 QPOD_ENV_MODE=") + mode +
                              " " + qpod_line(p) + " exec-env -- cat");
    CHECK(piped.exit_code == 0);
    CHECK(piped.out == "hi\n");
  }
  REQUIRE(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("exec-env: SIGTERM to qpod reaches the command in the container", "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-signal"));
  make_repo(p, simple_template());
  REQUIRE(qpod_in(p, p.dir(), {"exec-env", "--", "true"}, {"QPOD_CONTAINER=1"}).exit_code == 0);
  const std::string env_ps = "podman exec '" + p.name() + "-env' ps";

  for (const char* mode : {"exec", "run"}) {
    INFO("QPOD_ENV_MODE=" << mode);
    // qpod in the background; once `sleep 31` runs in the pod, SIGTERM to qpod alone.
    const std::string script =
        std::string("env QPOD_CONTAINER=1 QPOD_ENV_MODE=") + mode + " " + qpod_line(p) +
        " exec-env -- sleep 31 & q=$!\n"
        "i=0; until podman ps --filter pod='" +
        p.name() +
        "' --format '{{.Command}}' | "
        "grep -q 'sleep 31' || " +
        env_ps +
        " | grep -q 'sleep 31'; do "
        "i=$((i+1)); [ $i -gt 300 ] && exit 99; sleep 0.1; done\n"
        "kill -TERM $q; wait $q; echo rc=$?\n" +
        env_ps + " | grep -c 'sleep 31'; podman ps -a --filter pod='" + p.name() +
        "' --format '{{.Names}}' | grep -c -- '-env$' ; podman ps -a --filter pod='" + p.name() +
        "' --format '{{.Command}}' | grep -c 'sleep 31'; true";
    auto r = shell(p, script);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    // qpod exits with the command's 128+15; no sleep left in the environment container, and no
    // `podman run --rm` container left in the pod (only the environment container).
    CHECK(r.out == "rc=143\n0\n1\n0\n");
  }
  REQUIRE(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("exec-env: the user's uid and gid even where the image runs as another user",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-user"));
  // An image whose default user is nobody: without qpod's --user (or keep-id), files would
  // be written as 65534.
  const std::string image = "localhost/" + p.name() + "-nobody";
  fs::create_directories(p.dir() / "img");
  p.write("img/Containerfile", std::string("FROM ") + qpod::it::kImage + "\nUSER 65534:65534\n");
  REQUIRE(qpod::it::podman({"build", "-q", "-t", image, (p.dir() / "img").string()}).ok());
  make_repo(p, R"({"name": "t", "image": ")" + image + R"(", "binaries": [{"name": "touch"}]})");
  const std::string ids = std::to_string(getuid()) + ":" + std::to_string(getgid()) + "\n";

  for (const char* mode : {"exec", "run"}) {
    INFO("QPOD_ENV_MODE=" << mode);
    const std::vector<std::string> env = {std::string("QPOD_ENV_MODE=") + mode};
    const std::string file = std::string("made-by-") + mode;
    auto r = qpod_in(p, p.dir(), {"exec-env", "--", "touch", file}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    struct stat st {};
    REQUIRE(stat((p.dir() / file).c_str(), &st) == 0);
    CHECK(st.st_uid == getuid());
    CHECK(st.st_gid == getgid());
    auto id = qpod_in(p, p.dir(), {"exec-env", "--", "sh", "-c", "echo $(id -u):$(id -g)"},
                      {"QPOD_CONTAINER=1", std::string("QPOD_ENV_MODE=") + mode});
    CHECK(id.out == ids);
  }
  REQUIRE(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
  qpod::it::podman({"rmi", "-f", image});
}

TEST_CASE("exec-env on a terminal: a TTY in the container, and Ctrl-C stops the command",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-tty"));
  make_repo(p, simple_template());
  REQUIRE(qpod_in(p, p.dir(), {"exec-env", "--", "true"}, {"QPOD_CONTAINER=1"}).exit_code == 0);
  const std::string env_ps = "podman exec '" + p.name() + "-env' ps";
  const std::string pod_ps =
      "podman ps --no-trunc --filter pod='" + p.name() + "' --format '{{.Command}}'";

  for (const char* mode : {"exec", "run"}) {
    INFO("QPOD_ENV_MODE=" << mode);
    // script(1) gives qpod a terminal; once `sleep 32` runs, ^C is typed on it.
    const std::string command = std::string("QPOD_CONTAINER=1 QPOD_ENV_MODE=") + mode + " " +
                                qpod_line(p) +
                                " exec-env -- sh -c 'test -t 0 && echo tty; exec sleep 32'";
    const std::string script =
        "(i=0; until " + env_ps + " | grep -q 'sleep 32' || " + pod_ps +
        " | grep -q 'sleep 32'; do i=$((i+1)); [ $i -gt 300 ] && break; sleep 0.1; done; "
        "printf '\\003'; sleep 3) | script -qec \"" +
        command + "\" /dev/null; echo rc=$?; " + env_ps + " | grep -c 'sleep 32'; true";
    auto r = shell(p, script);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.starts_with("tty\r\n"));  // the command saw a terminal (its \n made \r\n)
    CHECK(r.out.find("rc=130\n") != std::string::npos);  // 128 + SIGINT, as typed
    CHECK(r.out.ends_with("\n0\n"));  // no sleep left in the environment container
  }
  REQUIRE(p.qpod({"down"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("services: auto before any command, binary ones before their binary, manual never",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-services"));
  const int port = port_for_test();
  const std::string ports = ", web: " + std::to_string(port);
  make_repo(p, services_template(port));
  const std::string web = p.name() + "-web-1", zk = p.name() + "-zk-1", tool = p.name() + "-tool-1";

  auto list0 = p.qpod({"service", "list"});
  CHECK(list0.exit_code == 0);
  CHECK(list0.out == "  tool (stopped)\n  web (stopped" + ports + ")\n  zk (stopped)\n");

  auto first = qpod_in(p, p.dir(), {"exec-env", "--", "true"}, {"QPOD_CONTAINER=1"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  CHECK(inspect(zk, "{{.State.Status}}") == "");  // no container
  CHECK(inspect(tool, "{{.State.Status}}") == "");

  auto id = qpod_in(p, p.dir(), {"exec-env", "--", "id", "-u"});
  INFO(id.err);
  CHECK(id.exit_code == 0);
  CHECK(id.out == std::to_string(getuid()) + "\n");
  CHECK(inspect(zk, "{{.State.Status}}") == "running");
  CHECK(inspect(tool, "{{.State.Status}}") == "");
  CHECK(p.qpod({"service", "list"}).out ==
        "  tool (stopped)\n  web (running" + ports + ")\n  zk (running)\n");

  REQUIRE(p.qpod({"service", "start", "tool"}).exit_code == 0);
  CHECK(inspect(tool, "{{.State.Status}}") == "running");
  REQUIRE(p.qpod({"service", "stop", "-t", "1", "web"}).exit_code == 0);
  CHECK(p.qpod({"service", "list"}).out ==
        "  tool (running)\n  web (stopped" + ports + ")\n  zk (running)\n");
  const std::string zk_started = inspect(zk, "{{.State.StartedAt.UnixNano}}");
  REQUIRE(p.qpod({"service", "restart", "-t", "1", "zk"}).exit_code == 0);
  CHECK(inspect(zk, "{{.State.StartedAt.UnixNano}}") != zk_started);
  auto logs = p.qpod({"service", "logs", "zk"});
  CHECK(logs.exit_code == 0);

  // A stopped auto service comes back before the next command.
  REQUIRE(qpod_in(p, p.dir(), {"exec-env", "--", "true"}, {"QPOD_CONTAINER=1"}).exit_code == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod exec and qpod run: exit codes, options, one-off cleanup", "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-execrun"));
  p.write("compose.yaml", std::string("services:\n  db:\n    image: ") + qpod::it::kImage +
                              "\n    init: true\n    command: [\"sleep\", \"600\"]\n"
                              "  app:\n    image: " +
                              qpod::it::kImage +
                              "\n    init: true\n    command: [\"sleep\", \"600\"]\n"
                              "    depends_on: [db]\n");
  const std::string db = p.name() + "-db-1", app = p.name() + "-app-1";

  // run starts the dependencies (db), not the service's own container.
  auto hi = p.qpod({"run", "--rm", "-T", "-e", "X=y", "app", "sh", "-c", "echo $X; exit 5"});
  INFO(hi.err);
  CHECK(hi.exit_code == 5);
  CHECK(hi.out == "y\n");
  CHECK(inspect(db, "{{.State.Status}}") == "running");
  CHECK(inspect(app, "{{.State.Status}}") == "");
  const std::string oneoffs = "label=io.qpod.oneoff=True";
  auto left = qpod::it::podman(
      {"ps", "-a", "-q", "--filter", "label=io.qpod.project=" + p.name(), "--filter", oneoffs});
  CHECK(left.out == "");  // --rm

  auto kept = p.qpod(
      {"run", "-T", "--name", p.name() + "-kept", "-w", "/tmp", "--entrypoint", "pwd", "app"});
  CHECK(kept.exit_code == 0);
  CHECK(kept.out == "/tmp\n");
  CHECK(inspect(p.name() + "-kept", "{{index .Config.Labels \"io.qpod.oneoff\"}}") == "True");

  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  auto three = p.qpod({"exec", "-T", "db", "sh", "-c", "exit 3"});
  CHECK(three.exit_code == 3);
  auto opts = p.qpod({"exec", "-T", "-e", "A=b", "-w", "/tmp", "-u", "12:34", "db", "sh", "-c",
                      "echo $A; pwd; id -u; id -g"});
  CHECK(opts.exit_code == 0);
  CHECK(opts.out == "b\n/tmp\n12\n34\n");
  auto missing = p.qpod({"exec", "-T", "nope", "true"});
  CHECK(missing.exit_code == 1);

  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");  // the kept one-off container too
}

TEST_CASE("exec-env: a template that builds its image: built on first use, rebuilt by qpod build",
          "[podman][qenv][build]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-build"));
  make_repo(p, R"({"name": "t", "build": {"context": "env"}, "binaries": [{"name": "cat"}],
  "services": {"web": {"command": ["sleep", "600"], "init": true}}})");
  auto containerfile = [&](const std::string& marker) {
    p.write("env/Containerfile",
            std::string("FROM ") + qpod::it::kImage + "\nRUN echo " + marker + " > /marker\n");
  };
  fs::create_directories(p.dir() / "env");
  containerfile("built");
  const std::string env_image = "localhost/" + p.name() + "-env";
  const std::string env = p.name() + "-env", web = p.name() + "-web-1";
  std::vector<std::string> old_images;  // replaced by the rebuild: removed at the end

  auto first = qpod_in(p, p.dir(), {"exec-env", "--", "cat", "/marker"});
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.out == "built\n");
  CHECK(inspect(env, "{{.ImageName}}") == env_image + ":latest");
  // A service without an image of its own is built from the environment's build.
  CHECK(qpod::it::podman({"exec", web, "cat", "/marker"}).out == "built\n");
  old_images.push_back(inspect(env, "{{.Image}}"));
  old_images.push_back(inspect(web, "{{.Image}}"));

  containerfile("rebuilt");
  auto build = p.qpod({"build", "-q"});
  INFO(build.err);
  REQUIRE(build.exit_code == 0);
  auto second = qpod_in(p, p.dir(), {"exec-env", "--", "cat", "/marker"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.out == "rebuilt\n");  // the environment container was replaced
  CHECK(inspect(env, "{{.Image}}") != old_images.front());

  REQUIRE(p.qpod({"down", "-t", "1", "--rmi", "local"}).exit_code == 0);
  CHECK_FALSE(qpod::it::podman({"image", "exists", env_image}).ok());
  CHECK_FALSE(qpod::it::podman({"image", "exists", "localhost/" + p.name() + "-web"}).ok());
  CHECK(p.leftovers() == "");
  for (const auto& id : old_images)
    if (!id.empty()) qpod::it::podman({"rmi", "-f", id});
}

TEST_CASE("services run in the environment: the work tree at its path and /qpod, mounts, env",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-svcmounts"));
  const std::string port = std::to_string(port_for_test());
  make_repo(p, std::string(R"({"name": "t", "image": ")") + qpod::it::kImage + R"(",
  "env": {"GREETING": "hello"},
  "mounts": [{"source": "data", "target": "/data", "readonly": true}],
  "services": {
    "web": {"command": ["httpd", "-f", "-p", ")" +
                   port + R"(", "-h", "/qpod"], "init": true},
    "tool": {"command": ["sleep", "600"], "init": true, "start": "manual",
             "environment": {"GREETING": "own"}}
  }})");
  p.write("marker.txt", "m\n");
  fs::create_directories(p.dir() / "data");
  p.write("data/d.txt", "d\n");
  const std::string root = p.dir().string();
  const std::string web = p.name() + "-web-1", tool = p.name() + "-tool-1";

  auto first = qpod_in(p, p.dir(), {"exec-env", "--", "true"}, {"QPOD_CONTAINER=1"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(inspect(web, "{{.State.Status}}") == "running");  // httpd found /qpod
  auto in_web = [&](const std::vector<std::string>& argv) {
    std::vector<std::string> a = {"exec", web};
    a.insert(a.end(), argv.begin(), argv.end());
    return qpod::it::podman(a);
  };
  CHECK(in_web({"cat", "/qpod/marker.txt"}).out == "m\n");
  CHECK(in_web({"cat", root + "/marker.txt"}).out == "m\n");
  CHECK(in_web({"cat", "/data/d.txt"}).out == "d\n");
  CHECK_FALSE(in_web({"touch", "/data/new"}).ok());  // the template mount is read-only
  CHECK(in_web({"sh", "-c", "echo $GREETING"}).out == "hello\n");
  // The repository over HTTP, from inside the pod.
  auto http = qpod_in(
      p, p.dir(),
      {"exec-env", "--", "wget", "-q", "-O", "-", "http://127.0.0.1:" + port + "/marker.txt"},
      {"QPOD_CONTAINER=1"});
  INFO(http.err);
  CHECK(http.out == "m\n");
  // A file a service writes there is the repository's.
  REQUIRE(in_web({"sh", "-c", "echo w > /qpod/from-web.txt"}).ok());
  CHECK(fs::exists(p.dir() / "from-web.txt"));

  // A manual service started by hand gets them too; its own variable wins.
  REQUIRE(p.qpod({"service", "start", "tool"}).exit_code == 0);
  CHECK(qpod::it::podman({"exec", tool, "cat", "/qpod/marker.txt"}).out == "m\n");
  CHECK(qpod::it::podman({"exec", tool, "sh", "-c", "echo $GREETING"}).out == "own\n");

  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("exec-env restarts the running services whose watched files the command changed",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-cmdwatch"));
  const std::string svc = R"("command": ["sleep", "600"], "init": true, "stop_grace_period": "1s")";
  make_repo(p, std::string(R"({"name": "t", "image": ")") + qpod::it::kImage + R"(",
  "services": {
    "host": {)" + svc +
                   R"(, "watch": ["build/plugin.so"]},
    "calm": {)" + svc +
                   R"(, "watch": ["other/"]},
    "tool": {)" + svc +
                   R"(, "start": "manual", "watch": ["build/*.so"]},
    "idle": {)" + svc +
                   R"(, "start": "manual", "watch": ["build/plugin.so"]}
  }})");
  p.write(".gitignore", "build/\n");
  auto container = [&](const std::string& s) { return p.name() + "-" + s + "-1"; };
  auto started = [&](const std::string& s) {
    return inspect(container(s), "{{.State.StartedAt.UnixNano}}");
  };
  const std::vector<std::string> forced = {"QPOD_CONTAINER=1"};

  REQUIRE(qpod_in(p, p.dir(), {"exec-env", "--", "true"}, forced).exit_code == 0);
  REQUIRE(p.qpod({"service", "start", "tool"}).exit_code == 0);
  const std::string host0 = started("host"), calm0 = started("calm"), tool0 = started("tool");
  REQUIRE_FALSE(host0.empty());

  // The build writes the plugin (in the ignored build/): host and the manual tool, running,
  // restart once the command is over; calm watches nothing that changed; idle never ran.
  auto build = qpod_in(p, p.dir(),
                       {"exec-env", "--", "sh", "-c",
                        "mkdir -p build && echo v1 > build/plugin.so && echo built; exit 3"},
                       forced);
  INFO(build.err);
  CHECK(build.exit_code == 3);    // the command's own
  CHECK(build.out == "built\n");  // the restarts are on stderr
  CHECK(build.err.find("Restarting service host after 1 change was detected") != std::string::npos);
  CHECK(started("host") != host0);
  CHECK(started("tool") != tool0);
  CHECK(started("calm") == calm0);
  CHECK(inspect(container("idle"), "{{.State.Status}}") == "");
  CHECK(inspect(container("host"), "{{.State.Status}}") == "running");

  // A command that changes nothing watched restarts nothing.
  const std::string host1 = started("host");
  auto quiet = qpod_in(p, p.dir(), {"exec-env", "--", "sh", "-c", "echo x > notes.txt"}, forced);
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.find("Restarting") == std::string::npos);
  CHECK(started("host") == host1);

  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("examples/qpod-env: its repo service serves the repository through /qpod",
          "[podman][qenv]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("qenv-example"));
  fs::copy(fs::path(QPOD_SOURCE_DIR) / "examples" / "qpod-env", p.dir(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  // The example as it is, but for the host side of its published ports (tests run in parallel).
  std::ifstream in(p.dir() / ".qpod" / "template.json");
  std::string tmpl((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const int base = port_for_test();
  int n = 0;
  for (const std::string port : {"8000", "8001", "2181", "3000"}) {
    const std::string from = "\"" + port + ":" + port + "\"";
    const auto at = tmpl.find(from);
    REQUIRE(at != std::string::npos);
    tmpl.replace(at, from.size(), "\"" + std::to_string(base + n++) + ":" + port + "\"");
  }
  make_repo(p, tmpl);
  std::ifstream script_in(p.dir() / "build.sh");
  const std::string script((std::istreambuf_iterator<char>(script_in)),
                           std::istreambuf_iterator<char>());
  REQUIRE_FALSE(script.empty());

  // Any command starts the auto services; from inside the pod, repo serves the repository.
  auto got = qpod_in(p, p.dir(),
                     {"exec-env", "--", "wget", "-q", "-O", "-", "http://127.0.0.1:8001/build.sh"},
                     {"QPOD_CONTAINER=1"});
  INFO(got.err);
  CHECK(got.exit_code == 0);
  CHECK(got.out == script);
  CHECK(qpod::it::podman({"exec", p.name() + "-repo-1", "cat", "/qpod/build.sh"}).out == script);
  auto list = p.qpod({"service", "list"});
  CHECK(list.out.find("  repo (running, repo: " + std::to_string(base + 1) + ")\n") !=
        std::string::npos);
  CHECK(list.out.find("  dashboard (stopped, dashboard: " + std::to_string(base + 3) + ")\n") !=
        std::string::npos);

  REQUIRE(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}
