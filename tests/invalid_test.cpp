// Every tests/invalid/NN-name.yaml goes through the whole loading pipeline and must fail with
// exactly the diagnostics of NN-name.expected (file names there are relative to that folder).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compose/loader.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using namespace qpod;

namespace {

using qpod::testing::read_text;
using qpod::testing::replace_all;

// All diagnostics of loading `file`, one per line, with the folder's absolute path left out.
std::string load_errors(const fs::path& file) {
  compose::LoadOptions opts;
  opts.files = {file.string()};
  opts.working_dir = file.parent_path().string();
  opts.project_name = "invalid";
  opts.process_env = compose::Variables{};
  std::string out;
  try {
    auto project = compose::load_project(opts);
    out = project ? "(loaded without errors)\n" : format(project.errors());
  } catch (const std::exception& e) {
    out = std::string("(exception) ") + e.what() + "\n";
  }
  replace_all(out, file.parent_path().string() + "/", "");
  return out;
}

}  // namespace

TEST_CASE("invalid compose files fail with the expected diagnostics") {
  const fs::path dir = fs::path(QPOD_SOURCE_DIR) / "tests" / "invalid";
  const std::vector<fs::path> cases = qpod::testing::files_with_extension(dir, ".yaml");
  REQUIRE(cases.size() >= 25);
  for (const auto& file : cases) {
    fs::path expected = file;
    expected.replace_extension(".expected");
    INFO(file.filename().string());
    const std::string actual = load_errors(file);
    if (std::getenv("QPOD_UPDATE_GOLDEN")) {
      std::ofstream(expected, std::ios::binary) << actual;
      // An update run writes the files and fails, so it is never mistaken for a passing run.
      FAIL_CHECK("QPOD_UPDATE_GOLDEN: wrote " << expected.string() << "; rerun without it");
      continue;
    }
    REQUIRE(fs::exists(expected));
    CHECK(actual == read_text(expected));
  }
}
