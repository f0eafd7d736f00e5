// Golden tests for `qpod config`: tests/golden/<case>/compose.yaml must print expected.yaml.
// Each case loads as `qpod -p <case> --project-directory <case folder> config` would, with an
// empty process environment. Absolute paths under the case folder print as $PROJECT_DIR, so the
// files do not depend on where the checkout is. A case whose load fails prints its diagnostics.
// QPOD_UPDATE_GOLDEN=1 rewrites every expected.yaml: review the diff before committing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compose/emit.h"
#include "compose/loader.h"

namespace fs = std::filesystem;
using namespace qpod;
using namespace qpod::compose;

namespace {

const fs::path kGolden = fs::path(QPOD_SOURCE_DIR) / "tests" / "golden";

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kGolden))
    if (entry.is_directory() && fs::exists(entry.path() / "compose.yaml"))
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every occurrence of `dir` that is a whole path (followed by '/', a quote, whitespace or the
// end) becomes $PROJECT_DIR.
void replace_dir(std::string& text, const std::string& dir) {
  if (dir.empty()) return;
  const std::string token = "$PROJECT_DIR";
  for (std::size_t at = text.find(dir); at != std::string::npos; at = text.find(dir, at)) {
    const std::size_t end = at + dir.size();
    const bool whole = end == text.size() || text[end] == '/' || text[end] == '"' ||
                       text[end] == '\'' || text[end] == '\n' || text[end] == ' ' ||
                       text[end] == ':' || text[end] == ',';
    if (!whole) {
      at = end;
      continue;
    }
    text.replace(at, dir.size(), token);
    at += token.size();
  }
}

std::string config_of(const fs::path& dir) {
  LoadOptions opts;
  opts.files = {(dir / "compose.yaml").string()};
  opts.project_directory = dir.string();
  opts.working_dir = dir.string();
  opts.project_name = dir.filename().string();
  opts.process_env = Variables{};
  auto project = load_project(opts);
  std::string out = project ? to_yaml(project->node) : "error:\n" + format(project.errors());
  replace_dir(out, dir.string());
  std::error_code ec;
  const fs::path real = fs::canonical(dir, ec);
  if (!ec && real != dir) replace_dir(out, real.string());
  return out;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("golden: qpod config prints tests/golden/<case>/expected.yaml") {
  const char* update = std::getenv("QPOD_UPDATE_GOLDEN");
  const bool updating = update && std::string(update) == "1";
  const auto all = cases();
  REQUIRE_FALSE(all.empty());
  for (const auto& dir : all) {
    INFO("case " << dir.filename().string());
    const std::string actual = config_of(fs::absolute(dir).lexically_normal());
    const fs::path expected_file = dir / "expected.yaml";
    if (updating) {
      std::ofstream(expected_file) << actual;
      // An update run writes the files and fails, so it is never mistaken for a passing run.
      FAIL_CHECK("QPOD_UPDATE_GOLDEN=1: wrote " << expected_file.string()
                                                << "; review the diff, then rerun without it");
      continue;
    }
    if (!fs::exists(expected_file)) {
      FAIL_CHECK("no expected.yaml: run the tests with QPOD_UPDATE_GOLDEN=1 to write it");
      continue;
    }
    CHECK(actual == read(expected_file));
  }
}

TEST_CASE("golden: case folder paths become $PROJECT_DIR, other paths stay") {
  std::string text = "a: /p/case\nb: /p/case/x\nc: \"/p/case:/data\"\nd: /p/cases\ne: /q/p/case2\n";
  replace_dir(text, "/p/case");
  CHECK(text ==
        "a: $PROJECT_DIR\nb: $PROJECT_DIR/x\nc: \"$PROJECT_DIR:/data\"\nd: /p/cases\ne: "
        "/q/p/case2\n");
}
