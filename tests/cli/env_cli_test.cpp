// QPOD environments end to end: the real binary in a repository with .qpod/template.json.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "compose/parse.h"
#include "compose/schema.h"
#include "env/git_root.h"
#include "tests/support/run_binary.h"

namespace fs = std::filesystem;

namespace {

using qpod::testing::Run;
using qpod::testing::run;

Run qpod_run(const fs::path& dir, std::vector<std::string> args,
             std::vector<std::string> env = {}) {
  return run(dir, QPOD_BINARY, QPOD_BINARY, std::move(args), std::move(env));
}

// A repository (.git folder) with a template and a subfolder `src`.
struct TempRepo {
  fs::path top, dir;
  explicit TempRepo(const std::string& tmpl) {
    static int n = 0;
    top = fs::temp_directory_path() /
          ("qpod-env-cli-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    dir = top / "Work.Repo";
    fs::create_directories(dir / ".git");
    fs::create_directories(dir / "src");
    if (!tmpl.empty()) {
      fs::create_directories(dir / ".qpod");
      std::ofstream(dir / ".qpod" / "template.json") << tmpl;
    }
  }
  ~TempRepo() {
    std::error_code ec;
    fs::remove_all(top, ec);
  }
};

const char* kTemplate = R"({
    "name": "qpod",
    "image": "localhost/centos7-qpod:latest",
    "env": {"CC": "gcc"},
    "mounts": [{"source": "/tmp"}, {"source": "cache", "target": "/cache", "readonly": true}],
    "binaries": [{"name": "waf"}, {"name": "gdb", "services": ["web"]}],
    "defaultRunArgs": ["--security-opt=label=disable"],
    "ports": ["8000:8000"],
    "services": {
        "web": {"command": ["python3", "-m", "http.server"], "start": "binary",
                "watch": ["build/plugin.so"]},
        "zookeeper": {"image": "zookeeper:3.8", "start": "auto"}
    }
}
)";

// `x-qpod` removed from the top level and from every service.
qpod::compose::Node without_dialect(qpod::compose::Node root) {
  root.erase("x-qpod");
  if (qpod::compose::Node* services = root.find("services"))
    for (auto& s : services->items)
      if (s.is_mapping()) s.erase("x-qpod");
  return root;
}

}  // namespace

TEST_CASE("config in a template repository prints the equivalent Compose file") {
  TempRepo r(kTemplate);
  Run c = qpod_run(r.dir / "src", {"config"});
  REQUIRE(c.code == 0);
  CHECK(c.err.empty());
  const std::string root = r.dir.string(), name = qpod::env::pod_name(root);
  CHECK(c.out == "name: " + name + R"(
services:
  web:
    command:
      - python3
      - -m
      - http.server
    image: "localhost/centos7-qpod:latest"
    networks:
      default: null
    x-qpod:
      start: binary
      watch:
        - build/plugin.so
  zookeeper:
    image: "zookeeper:3.8"
    networks:
      default: null
    x-qpod:
      start: auto
networks:
  default:
    name: )" + name + R"(_default
x-qpod:
  name: qpod
  image: "localhost/centos7-qpod:latest"
  env:
    CC: gcc
  mounts:
    - source: /tmp
    - source: )" + root +
                     R"(/cache
      target: /cache
      readonly: true
  binaries:
    - name: waf
    - name: gdb
      services:
        - web
  defaultRunArgs:
    - --security-opt=label=disable
  ports:
    - mode: ingress
      protocol: tcp
      published: "8000"
      target: 8000
)");

  auto printed = qpod::compose::parse_yaml(c.out, "printed");
  REQUIRE(printed.ok());
  CHECK(qpod::compose::validate_schema(*printed, qpod::compose::Schema::kQpodDialect).empty());
  CHECK(qpod::compose::validate_schema(without_dialect(*printed), qpod::compose::Schema::kCompose)
            .empty());

  // The printed file loads back as a Compose file, to the same output.
  std::ofstream(r.top / "compose.yaml") << c.out;
  Run again = qpod_run(r.top, {"-f", (r.top / "compose.yaml").string(), "config"});
  CHECK(again.code == 0);
  CHECK(again.out == c.out);
}

TEST_CASE("config in a template repository reports errors in the template, exit 1") {
  TempRepo r(R"({"image": "img", "binaries": [{"name": "make", "services": ["db"]}]})");
  Run c = qpod_run(r.dir, {"config"});
  CHECK(c.code == 1);
  CHECK(c.out.empty());
  CHECK(c.err == (r.dir / ".qpod" / "template.json").string() +
                     ":1:61: binaries[0].services[0]: binary \"make\" needs service "
                     "\"db\", which is not a service of the project\n");
}

TEST_CASE("a Compose file in the repository wins over the template") {
  TempRepo r(kTemplate);
  std::ofstream(r.dir / "compose.yaml") << "services:\n  a:\n    image: busybox\n";
  Run c = qpod_run(r.dir / "src", {"config", "--services"});
  CHECK(c.code == 0);
  CHECK(c.out == "a\n");
}

TEST_CASE("exec-env --dry-run: the decision and the command") {
  TempRepo r(kTemplate);
  const std::string root = r.dir.string();
  Run gdb =
      qpod_run(r.dir / "src", {"exec-env", "--dry-run", "--", "gdb", "-q"}, {"QPOD_ENV_MODE=run"});
  CHECK(gdb.code == 0);
  const std::string user =
      geteuid() == 0 ? "--user " + std::to_string(getuid()) + ":" + std::to_string(getgid())
                     : std::string("--userns=keep-id");
  CHECK(gdb.out ==
        "container: \"gdb\" is listed in x-qpod.binaries\nservices: zookeeper web\n"
        "podman run --rm -i --init "
        "--pod " +
            qpod::env::pod_name(root) + " " + user + " --volume " + root + ":" + root +
            " --volume " + root + ":/qpod --volume /tmp:/tmp --volume " + root +
            "/cache:/cache:ro --workdir " + root +
            "/src --env CC=gcc --security-opt=label=disable "
            "localhost/centos7-qpod:latest gdb -q\n");
  // By default: the environment container (created when missing), then podman exec into it.
  Run exec = qpod_run(r.dir / "src", {"exec-env", "--dry-run", "--", "gdb", "-q"});
  CHECK(exec.code == 0);
  const std::string pod = qpod::env::pod_name(root);
  CHECK(
      exec.out.starts_with("container: \"gdb\" is listed in x-qpod.binaries\n"
                           "services: zookeeper web\npodman run --detach --name " +
                           pod + "-env --pod " + pod + " --init "));
  const std::string exec_user = geteuid() == 0 ? user + " " : std::string();
  CHECK(
      exec.out.ends_with(" --entrypoint /run/podman-init localhost/centos7-qpod:latest -P\n"
                         "podman exec -i " +
                         exec_user + "--workdir " + root + "/src " + pod + "-env gdb -q\n"));
  Run ls = qpod_run(r.dir / "src", {"exec-env", "--dry-run", "--", "ls", "-l"});
  CHECK(ls.out == "host: /usr/bin/ls is outside the environment\n/usr/bin/ls -l\n");
  Run forced = qpod_run(r.dir, {"exec-env", "--dry-run", "--", "ls"}, {"QPOD_CONTAINER=1"});
  CHECK(forced.out.starts_with("container: QPOD_CONTAINER=1\nservices: zookeeper\npodman run "));
  CHECK(forced.out.ends_with("-env ls\n"));
}

TEST_CASE("exec-env runs host commands directly, outside a repository too") {
  TempRepo r(kTemplate);
  Run echo = qpod_run(r.dir, {"exec-env", "--", "echo", "a b", "c"});
  CHECK(echo.code == 0);
  CHECK(echo.out == "a b c\n");
  Run plain = qpod_run(r.top, {"exec-env", "--", "sh", "-c", "exit 7"});
  CHECK(plain.code == 7);
  Run missing = qpod_run(r.top, {"exec-env", "--", "no-such-command-qpod"});
  CHECK(missing.code == 127);
  CHECK(missing.err == "qpod: no-such-command-qpod: command not found\n");
}

TEST_CASE("shims: links to qpod, and a shim runs exec-env for its name") {
  TempRepo r(kTemplate);
  Run s = qpod_run(r.dir / "src", {"shims"});
  REQUIRE(s.code == 0);
  const fs::path shims = r.dir / ".qpod" / "shims";
  CHECK(s.out == (shims / "waf").string() + "\n" + (shims / "gdb").string() + "\n");
  CHECK(fs::read_symlink(shims / "gdb") == fs::canonical(QPOD_BINARY));
  // Through the shim: the container path, which needs podman (here made unfindable, so that
  // this test creates nothing; the podman tests run it for real).
  Run waf = run(r.dir / "src", (shims / "waf").string(), (shims / "waf").string(), {"build"},
                {"QPOD_PODMAN=/nonexistent/podman"});
  CHECK(waf.code == 127);
  CHECK(waf.err == "qpod: podman is not installed (run `qpod doctor`)\n");
  Run other = qpod_run(r.dir, {"shims", "elsewhere"});
  CHECK(other.code == 0);
  CHECK(fs::is_symlink(r.dir / "elsewhere" / "waf"));
}

TEST_CASE("a declared binary found on no PATH folder is looked for at the repository's root") {
  TempRepo r(R"({"image": "img", "binaries": [{"name": "build.sh"}, {"name": "nowhere"}]})");
  std::ofstream(r.dir / "build.sh") << "#!/bin/sh\n";
  fs::permissions(r.dir / "build.sh", fs::perms::owner_all, fs::perm_options::add);
  Run build = qpod_run(r.dir / "src", {"exec-env", "--dry-run", "--", "build.sh", "-j2"});
  CHECK(build.code == 0);
  CHECK(build.out.starts_with("container: \"build.sh\" is listed in x-qpod.binaries\n"));
  CHECK(build.out.ends_with(" " + (r.dir / "build.sh").string() + " -j2\n"));
  // Neither on PATH nor at the root: the container's PATH is asked, by name.
  Run nowhere = qpod_run(r.dir / "src", {"exec-env", "--dry-run", "--", "nowhere"});
  CHECK(nowhere.out.ends_with("-env nowhere\n"));
  // An undeclared script at the root is not found by its bare name: `.` is not on PATH.
  std::ofstream(r.dir / "tool.sh") << "#!/bin/sh\n";
  fs::permissions(r.dir / "tool.sh", fs::perms::owner_all, fs::perm_options::add);
  Run tool = qpod_run(r.dir, {"exec-env", "--dry-run", "--", "tool.sh"});
  CHECK(tool.out == "host: \"tool.sh\" is not an environment binary\n(not found)\n");
}

TEST_CASE("examples/qpod-env: loads, and its build.sh runs in the container after its services") {
  TempRepo r("");
  fs::remove_all(r.dir);
  fs::copy(fs::path(QPOD_SOURCE_DIR) / "examples" / "qpod-env", r.dir, fs::copy_options::recursive);
  fs::create_directories(r.dir / ".git");
  Run config = qpod_run(r.dir, {"config", "-q"});
  INFO(config.err);
  CHECK(config.code == 0);
  Run build = qpod_run(r.dir, {"exec-env", "--dry-run", "--", "build.sh"});
  CHECK(build.code == 0);
  CHECK(
      build.out.starts_with("container: \"build.sh\" is listed in x-qpod.binaries\n"
                            "services: plugin-host repo web zookeeper\n"));
  CHECK(build.out.ends_with(" " + (r.dir / "build.sh").string() + "\n"));
  Run ls = qpod_run(r.dir, {"exec-env", "--dry-run", "--", "ls"});
  CHECK(ls.out.starts_with("host: "));
}

TEST_CASE("hook prints the shell hook, init writes a template") {
  TempRepo r("");
  Run bash = qpod_run(r.dir, {"hook", "bash"});
  CHECK(bash.code == 0);
  CHECK(bash.out.starts_with("_qpod_hook() {\n"));
  CHECK(qpod_run(r.dir, {"hook", "tcsh"}).code != 0);

  Run none = qpod_run(r.top, {"init", "--image", "x"});
  CHECK(none.code == 1);
  CHECK(none.err == "qpod init: not in a git repository (no .git here or in a parent folder)\n");

  fs::create_directories(r.top / "cfg" / "qpod" / "templates");
  std::ofstream(r.top / "cfg" / "qpod" / "templates" / "cpp.json")
      << R"({"image": "gcc:13", "binaries": [{"name": "make"}]})";
  const std::string xdg = "XDG_CONFIG_HOME=" + (r.top / "cfg").string();
  Run init = qpod_run(r.dir / "src", {"init", "--template", "cpp"}, {xdg});
  CHECK(init.code == 0);
  CHECK(init.out == (r.dir / ".qpod" / "template.json").string() + "\n");
  CHECK(qpod_run(r.dir, {"config", "-q"}).code == 0);
  Run again = qpod_run(r.dir, {"init", "--template", "cpp"}, {xdg});
  CHECK(again.code == 1);
  Run unknown = qpod_run(r.dir, {"init", "--force", "--template", "nope"}, {xdg});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.starts_with("qpod init: no template \"nope\""));
  Run image = qpod_run(r.dir, {"init", "--force", "--image", "debian:12"});
  CHECK(image.code == 0);
  std::ifstream in(r.dir / ".qpod" / "template.json");
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) ==
        "{\n  \"name\": \"workrepo\",\n  \"image\": \"debian:12\",\n  \"binaries\": []\n}\n");
}
