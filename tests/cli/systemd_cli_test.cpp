// `qpod systemd generate` end to end: the real binary prints the units, or writes them into
// -o DIR and prints their paths; bad input is exit 1 with its position and nothing written.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/run_binary.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using qpod::testing::run_qpod;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("qpod systemd generate prints the units, or writes them into -o DIR") {
  qpod::testing::TempDir dir;
  const std::string file = std::string(QPOD_SOURCE_DIR) + "/examples/ci-env/compose.yaml";
  auto printed = run_qpod(dir.path(), {"-f", file, "systemd", "generate"});
  INFO(printed.err);
  REQUIRE(printed.code == 0);
  CHECK(printed.out.rfind("# pod-ci-env.service\n", 0) == 0);

  auto written = run_qpod(dir.path(), {"-f", file, "systemd", "generate", "-o", "units/new"});
  REQUIRE(written.code == 0);
  const std::string names[] = {"pod-ci-env.service", "container-ci-env-db-1.service",
                               "container-ci-env-migrate-1.service",
                               "container-ci-env-app-1.service"};
  std::string paths, texts;
  for (const auto& n : names) {
    paths += "units/new/" + n + "\n";
    texts += (texts.empty() ? "" : "\n") + slurp(dir.path() / "units/new" / n);
  }
  CHECK(written.out == paths);
  CHECK(texts == printed.out);  // the same units, one file each
}

TEST_CASE("qpod systemd generate refuses a secret from the environment at its line") {
  qpod::testing::TempDir dir;
  dir.write("compose.yaml", R"(services:
  web:
    image: localhost/qpod-busybox:latest
    secrets: [token]
secrets:
  token:
    environment: TOKEN
)");
  auto r = run_qpod(dir.path(), {"systemd", "generate", "-o", "units"}, {"TOKEN=s3cr3t"});
  CHECK(r.code == 1);
  CHECK(r.err.find("compose.yaml:4:15: services.web.secrets[0]: secret token") !=
        std::string::npos);
  CHECK(r.err.find("s3cr3t") == std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "units"));
}
