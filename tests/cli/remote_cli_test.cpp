// Remote podman on the command line: --dry-run prints each podman command with the global
// options (--url, --connection, --identity) it would run with.
#include <catch2/catch.hpp>
#include <string>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

using qpod::testing::run_qpod;
using qpod::testing::TempDir;

TEST_CASE("remote: --dry-run shows the global options after podman", "[remote][cli]") {
  TempDir dir;
  dir.write("compose.yaml",
            "name: s7-remote\nservices:\n  web:\n    image: localhost/qpod-busybox:latest\n"
            "    command: [\"sleep\", \"600\"]\n");
  const std::string url = "--url=ssh://core@build.example/run/user/1000/podman/podman.sock";
  auto r = run_qpod(dir.path(), {url, "--connection=-staging", "--identity", "/k/id", "exec", "-T",
                                 "--dry-run", "web", "true"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("podman " + url + " --connection=-staging --identity=/k/id exec "));
  CHECK(r.out.ends_with(" s7-remote-web-1 true\n"));
  auto local = run_qpod(dir.path(), {"exec", "-T", "--dry-run", "web", "true"});
  CHECK(local.out.starts_with("podman exec "));
}
