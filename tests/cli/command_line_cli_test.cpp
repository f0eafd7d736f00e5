// The command line docker compose users type: exec -it. The real binary, its output and its
// exit codes.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/run_binary.h"

namespace fs = std::filesystem;

namespace {

using qpod::testing::run_in_terminal;
using qpod::testing::run_qpod;

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

