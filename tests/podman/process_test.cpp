#include "podman/process.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace podman = qpod::podman;
using namespace qpod::podman;

TEST_CASE("process: big stdout and stderr at once do not deadlock", "[engine][process]") {
  auto r =
      podman::run_process("/bin/sh", {"-c",
                                      "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2;"
                                      " echo done; exit 3"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.size() == 1000005);
  CHECK(r.err.size() == 1000000);
}

TEST_CASE("process: an argv element is one argument, never a shell word", "[engine][process]") {
  auto r = podman::run_process("/bin/echo", {"a b", "$HOME", ";", "c"});
  CHECK(r.out == "a b $HOME ; c\n");
  CHECK(podman::run_process("/nonexistent/podman", {}).exit_code == 127);
}

TEST_CASE("process: streaming hands over lines as they come", "[engine][process]") {
  std::vector<std::string> lines;
  auto r = podman::stream_process("/bin/sh", {"-c", "echo one; echo two >&2; printf three"},
                                  [&](const std::string& line, bool is_err) {
                                    lines.push_back((is_err ? "err:" : "out:") + line);
                                  });
  CHECK(r.exit_code == 0);
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{"err:two", "out:one", "out:three"});
}

TEST_CASE("process: a child started by another thread does not keep our pipes open",
          "[engine][process]") {
  // Like `podman start`, which leaves conmon running: a background process outliving its parent.
  // Had it inherited the pipes of a concurrent call, that call would wait for it (20 s). The bound
  // is far from that, not a timing target: a loaded 2-core machine takes about 2 s for the loop.
  std::thread spawner([] {
    for (int i = 0; i < 10; ++i)
      podman::run_process("/bin/sh", {"-c", "sleep 20 </dev/null >/dev/null 2>&1 &"});
  });
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) CHECK(podman::run_process("/bin/echo", {"x"}).out == "x\n");
  spawner.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}
