// The command line docker compose users type: exec -it, typos answered with "did you mean",
// help and version commands, NO_COLOR. The real binary, its output and its exit codes.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/support/run_binary.h"

namespace fs = std::filesystem;

namespace {

using qpod::testing::run_in_terminal;
using qpod::testing::run_qpod;
using qpod::testing::run_qpod_with_stdin;

struct TempProject {
  fs::path dir;
  explicit TempProject(const std::string& compose) {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("qpod-cmdline-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
    if (!compose.empty()) std::ofstream(dir / "compose.yaml") << compose;
  }
  ~TempProject() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const char* kWeb = R"(name: cmdline
services:
  web:
    image: localhost/qpod-busybox:latest
    command: ["sleep", "600"]
)";

}  // namespace

TEST_CASE("exec takes docker compose's -it, -i, -t and --privileged") {
  TempProject p(kWeb);
  SECTION("-it in a terminal: podman exec --interactive --tty") {
    auto r = run_in_terminal(p.dir, QPOD_BINARY,
                             {"exec", "-it", "--privileged", "--dry-run", "web", "sh"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.find("podman exec --interactive --tty --privileged ") != std::string::npos);
    CHECK(r.out.find("cmdline-web-1 sh") != std::string::npos);
  }
  SECTION("-it without a terminal: no TTY, as docker compose (-t is its default, not a force)") {
    auto r = run_qpod(p.dir, {"exec", "-it", "--dry-run", "web", "sh"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("podman exec --interactive "));
    CHECK(r.out.find("--tty") == std::string::npos);
    CHECK(r.out.find("cmdline-web-1 sh") != std::string::npos);
  }
  SECTION("-i, -t, --interactive and --tty apart") {
    for (std::string flag : {"-i", "-t", "--interactive", "--tty"}) {
      auto r = run_qpod(p.dir, {"exec", flag, "--dry-run", "web", "true"});
      INFO(flag << ": " << r.err);
      CHECK(r.code == 0);
      CHECK(r.out.find("cmdline-web-1 true") != std::string::npos);
    }
  }
  SECTION("-T in a terminal: no TTY") {
    auto r = run_in_terminal(p.dir, QPOD_BINARY, {"exec", "-T", "--dry-run", "web", "sh"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.find("podman exec --interactive ") != std::string::npos);
    CHECK(r.out.find("--tty") == std::string::npos);
  }
}

const char* kWebCache = R"(name: cmdline
services:
  web:
    image: localhost/qpod-busybox:latest
volumes:
  cache: {}
)";

TEST_CASE("run -v mounts a bind (relative to the current folder) or the project's volume") {
  TempProject p(kWebCache);
  auto r = run_qpod(p.dir, {"run", "--dry-run", "-v", "./data:/data:ro", "--volume", "cache:/c",
                            "-v", "/srv:/srv", "-v", "other:/o", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  const std::string data = "--volume " + (p.dir / "data").string() + ":/data:ro ";
  CHECK(r.out.find(data) != std::string::npos);
  CHECK(r.out.find("--volume cmdline_cache:/c ") != std::string::npos);
  CHECK(r.out.find("--volume /srv:/srv ") != std::string::npos);
  CHECK(r.out.find("--volume other:/o ") != std::string::npos);
}

TEST_CASE("run --build builds the service's image, then its dependencies' in up's plan") {
  TempProject p(R"(name: cmdline
services:
  web:
    build: ./app
    depends_on: [db]
  db:
    build: ./app
    image: cmdline-db-image
)");
  fs::create_directories(p.dir / "app");
  std::ofstream(p.dir / "app" / "Dockerfile") << "FROM localhost/qpod-busybox:latest\n";
  auto r = run_qpod(p.dir, {"run", "--build", "--dry-run", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("#1 build web\n#1 build db (--build)\n"));
  CHECK(r.out.find("podman run ") != std::string::npos);
}

TEST_CASE("run --service-ports is the pod's way already, run -p is refused with the reason") {
  TempProject p(kWebCache);
  auto r = run_qpod(p.dir, {"run", "--service-ports", "--dry-run", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("podman run ") != std::string::npos);
  r = run_qpod(p.dir, {"run", "-p", "8080:80", "web"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("qpod run: -p/--publish: a container in the project's pod cannot "));
}

TEST_CASE("exec and run tell a flag they do not have from a service") {
  TempProject p(kWeb);
  auto r = run_qpod(p.dir, {"exec", "--privilegd", "web", "sh"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "qpod exec: unknown flag: --privilegd (did you mean --privileged?)\n"
        "Run 'qpod exec --help' for usage.\n");
  r = run_qpod(p.dir, {"run", "--no-dep", "web"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "qpod run: unknown flag: --no-dep (did you mean --no-deps?)\n"
        "Run 'qpod run --help' for usage.\n");
}

TEST_CASE("an unknown command exits 1 and names the nearest commands") {
  TempProject p("");
  auto r = run_qpod(p.dir, {"dwon"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "qpod: unknown command \"dwon\" (did you mean down?)\nRun 'qpod --help' for usage.\n");
  r = run_qpod(p.dir, {"bogus"});
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("qpod: unknown command \"bogus\""));
  r = run_qpod(p.dir, {"xyzzy"});  // nothing near
  CHECK(r.code == 1);
  CHECK(r.err == "qpod: unknown command \"xyzzy\"\nRun 'qpod --help' for usage.\n");
  r = run_qpod(p.dir, {"service", "lsit"});
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("qpod service: unknown command \"lsit\" (did you mean list?)\n"));
}

TEST_CASE("an unknown flag exits 1 and names the command's nearest flags") {
  TempProject p(kWeb);
  auto r = run_qpod(p.dir, {"up", "--detatch"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "qpod up: unknown flag: --detatch (did you mean --detach?)\n"
        "Run 'qpod up --help' for usage.\n");
  r = run_qpod(p.dir, {"--projct-name", "x", "ps"});
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("qpod: unknown flag: --projct-name (did you mean --project-name?)\n"));
  r = run_qpod(p.dir, {"down", "--timeout"});  // other parse errors exit 1 too
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("qpod down: "));
}

TEST_CASE("version and help commands, and the usage line says qpod") {
  TempProject p("");
  auto r = run_qpod(p.dir, {"version"});
  CHECK(r.code == 0);
  CHECK(std::regex_match(r.out, std::regex("qpod version [0-9]+\\.[0-9]+\\.[0-9]+\n")));
  CHECK(r.out == run_qpod(p.dir, {"--version"}).out);
  auto short_version = run_qpod(p.dir, {"version", "--short"});
  CHECK(short_version.code == 0);
  CHECK("qpod version " + short_version.out == r.out);

  r = run_qpod(p.dir, {"help", "up"});
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("Create and start"));
  CHECK(r.out.find("Usage: qpod up [OPTIONS]") != std::string::npos);
  CHECK(r.out.find("--detach") != std::string::npos);

  r = run_qpod(p.dir, {"help", "service", "logs"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Usage: qpod service logs") != std::string::npos);

  r = run_qpod(p.dir, {"help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Usage: qpod [OPTIONS] [SUBCOMMAND]") != std::string::npos);
  CHECK(r.out.find("version") != std::string::npos);

  r = run_qpod(p.dir, {"help", "dwon"});
  CHECK(r.code == 1);
  CHECK(r.err == "qpod: unknown command \"dwon\" (did you mean down?)\n");

  r = run_qpod(p.dir, {"ps", "--help"});  // the binary's full path before
  CHECK(r.code == 0);
  CHECK(r.out.find("Usage: qpod ps") != std::string::npos);
}

TEST_CASE("NO_COLOR set and not empty turns colours off in a terminal, --ansi always back on") {
  // A project known by name only: ps warns (spdlog, coloured "warn" on a colour terminal).
  TempProject p("");
  const std::vector<std::string> args{"-p", "qpod-no-color-test", "ps"};
  auto coloured = run_in_terminal(p.dir, QPOD_BINARY, args, {"TERM=xterm"});
  INFO(coloured.out);
  REQUIRE(coloured.out.find("cannot load the project") != std::string::npos);
  CHECK(coloured.out.find("\x1b[") != std::string::npos);

  auto plain = run_in_terminal(p.dir, QPOD_BINARY, args, {"TERM=xterm", "NO_COLOR=1"});
  INFO(plain.out);
  CHECK(plain.out.find("cannot load the project") != std::string::npos);
  CHECK(plain.out.find("\x1b[") == std::string::npos);

  auto empty = run_in_terminal(p.dir, QPOD_BINARY, args, {"TERM=xterm", "NO_COLOR="});
  CHECK(empty.out.find("\x1b[") != std::string::npos);

  auto always =
      run_in_terminal(p.dir, QPOD_BINARY, {"--ansi", "always", "-p", "qpod-no-color-test", "ps"},
                      {"TERM=xterm", "NO_COLOR=1"});
  CHECK(always.out.find("\x1b[") != std::string::npos);
}

TEST_CASE("qpod alone prints the help with the commands and exits 0, as docker compose") {
  TempProject p("");
  for (std::vector<std::string> args :
       {std::vector<std::string>{}, std::vector<std::string>{"-p", "someproject"}}) {
    auto r = run_qpod(p.dir, args);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("Usage: qpod [OPTIONS] [SUBCOMMAND]") != std::string::npos);
    CHECK(r.out.find("  up ") != std::string::npos);
    CHECK(r.out.find("  exec ") != std::string::npos);
  }
}

TEST_CASE("exec and run take -- before the service, after it, or both") {
  TempProject p(kWeb);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"exec", "--dry-run", "--", "web", "ls", "-la"},
        std::vector<std::string>{"exec", "--dry-run", "-T", "--", "web", "ls", "-la"},
        std::vector<std::string>{"exec", "--dry-run", "web", "--", "ls", "-la"},
        std::vector<std::string>{"exec", "--dry-run", "--", "web", "--", "ls", "-la"}}) {
    auto r = run_qpod(p.dir, args);
    INFO(args[2] << " " << args[3] << ": " << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.ends_with(" cmdline-web-1 ls -la\n"));
  }
  // The command's own flags stay the command's, even ones exec has (-d, --help).
  auto r = run_qpod(p.dir, {"exec", "--dry-run", "web", "ls", "-d", "--help"});
  CHECK(r.code == 0);
  CHECK(r.out.ends_with(" cmdline-web-1 ls -d --help\n"));
  CHECK(r.out.find("--detach") == std::string::npos);

  r = run_qpod(p.dir, {"run", "--dry-run", "--no-deps", "--", "web", "ls", "-la"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("podman run ") != std::string::npos);
  CHECK(r.out.ends_with(" ls -la\n"));
  r = run_qpod(p.dir, {"exec", "--dry-run", "--"});
  CHECK(r.code == 1);
  CHECK(r.err == "qpod exec: give a service and a command: qpod exec SERVICE COMMAND\n");
}

TEST_CASE("exec and run --interactive=false keep stdin closed, --no-tty is -T") {
  TempProject p(kWeb);
  auto r = run_qpod(p.dir, {"exec", "--dry-run", "--interactive=false", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("podman exec --env QPOD_EXEC_ID="));
  CHECK(r.out.find("--interactive") == std::string::npos);

  r = run_qpod(p.dir, {"run", "--dry-run", "--no-deps", "--interactive=false", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("podman run ") != std::string::npos);
  CHECK(r.out.find("--interactive") == std::string::npos);

  for (std::string flag : {"--no-tty", "--no-TTY", "--tty=false"}) {
    auto t = run_in_terminal(p.dir, QPOD_BINARY, {"exec", flag, "--dry-run", "web", "sh"});
    INFO(flag << ": " << t.out);
    CHECK(t.code == 0);
    CHECK(t.out.find("podman exec --interactive ") != std::string::npos);
    CHECK(t.out.find("--tty") == std::string::npos);
  }
}

TEST_CASE("a Compose file from stdin (-f -), the project folder is the working one") {
  TempProject p("");
  fs::create_directories(p.dir / "stdinproj");
  const fs::path input = p.dir / "input.yaml";
  std::ofstream(input) << "services:\n  web:\n    image: localhost/qpod-busybox:latest\n"
                          "    volumes: [./data:/data]\n";
  auto r = run_qpod_with_stdin(p.dir / "stdinproj", {"-f", "-", "config"}, input.string());
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("name: stdinproj\n"));
  CHECK(r.out.find("source: " + (p.dir / "stdinproj" / "data").string()) != std::string::npos);

  // Errors name the file <stdin>, with line and column.
  std::ofstream(input) << "services:\n  web:\n    image: [1, 2]\n";
  r = run_qpod_with_stdin(p.dir, {"-f", "-", "config"}, input.string());
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("<stdin>:3:12: services.web.image: "));

  r = run_qpod_with_stdin(p.dir, {"-f", "-", "-f", "-", "config"}, input.string());
  CHECK(r.code == 1);
  CHECK(r.err == "-f: stdin (-) can be read once: give it once\n");
}

TEST_CASE("stdin as the Compose file keeps the 8 MiB limit of an input file, also when endless") {
  TempProject p("");
  const fs::path big = p.dir / "big.yaml";
  {
    std::ofstream out(big);
    out << "services: {}\n";
    out << std::string(8u << 20, '#');
  }
  const qpod::testing::Bounds bounds{1ull << 30, 60};
  for (const std::string& input : {big.string(), std::string("/dev/zero")}) {
    auto r = run_qpod_with_stdin(p.dir, {"-f", "-", "config"}, input, bounds);
    INFO(input);
    CHECK(r.signal == 0);
    CHECK(r.code == 1);
    CHECK(r.err == "<stdin>: cannot read stdin: is larger than the 8 MiB limit\n");
  }
}
