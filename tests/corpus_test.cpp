// The shared conformance corpus (../shared/corpus): real-world Compose files that must load, print
// a config the official schema accepts, and survive a round trip through that config.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "compose/emit.h"
#include "compose/loader.h"
#include "compose/parse.h"
#include "compose/schema.h"

namespace fs = std::filesystem;
using namespace qpod;
using namespace qpod::compose;

namespace {

const fs::path kCorpus = fs::path(QPOD_SHARED_DIR) / "corpus";

// The `valid` rows of manifest.tsv, as absolute paths.
std::vector<fs::path> valid_files() {
  std::ifstream in(kCorpus / "manifest.tsv");
  INFO("the corpus is read from " << kCorpus.string() << " (../shared beside the checkout)");
  REQUIRE(in);
  std::vector<fs::path> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 5 && cols[4] == "valid") out.push_back(kCorpus / cols[0]);
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

// As conformance.sh runs `qpod config`: that file only, its folder as the project directory,
// project name "conformance", no environment variables at all.
Result<Project> load(const fs::path& file, const fs::path& dir, bool interpolate = true) {
  LoadOptions opts;
  opts.files = {file.string()};
  opts.project_directory = dir.string();
  opts.working_dir = dir.string();
  opts.project_name = "conformance";
  opts.process_env = Variables{};
  opts.interpolate = interpolate;
  return load_project(opts);
}

std::string name_of(const fs::path& file) { return fs::relative(file, kCorpus).string(); }

}  // namespace

TEST_CASE("corpus: the raw files pass validate_schema before any loading stage") {
  for (const auto& file : valid_files()) {
    INFO(name_of(file));
    auto root = parse_file(file.string());
    if (!root) {
      FAIL_CHECK(format(root.errors()));
      continue;
    }
    CHECK(format(validate_schema(*root, Schema::kCompose)) == "");
    CHECK(format(validate_schema(*root, Schema::kQpodDialect)) == "");
  }
}

TEST_CASE("corpus: every valid file loads") {
  for (const auto& file : valid_files()) {
    INFO(name_of(file));
    auto project = load(file, file.parent_path());
    CHECK((project.ok() ? std::string() : format(project.errors())) == "");
  }
}

TEST_CASE("corpus: the config of every valid file passes the official Compose schema") {
  for (const auto& file : valid_files()) {
    INFO(name_of(file));
    auto project = load(file, file.parent_path());
    if (!project) continue;  // reported by "every valid file loads"
    // What `qpod config --format json` prints, read back.
    const Node config = from_json(nlohmann::ordered_json::parse(to_json_text(project->node)));
    CHECK(format(validate_schema(config, Schema::kCompose)) == "");
  }
}

TEST_CASE("corpus: the config of every valid file loads back to the same project") {
  const fs::path tmp = fs::temp_directory_path() / ("qpod-corpus-" + std::to_string(getpid()));
  fs::create_directories(tmp);
  int n = 0;
  for (const auto& file : valid_files()) {
    INFO(name_of(file));
    const fs::path dir = file.parent_path();
    auto first = load(file, dir);
    if (!first) continue;  // reported by "every valid file loads"
    const fs::path copy = tmp / ("config-" + std::to_string(n++) + ".yaml");
    std::ofstream(copy) << to_yaml(first->node);
    INFO("config written to " << copy.string());
    // The config's values are final: interpolating them again would read a literal "$" as a
    // variable. Same project directory, so relative paths (if any are left) mean the same.
    auto second = load(copy, dir, /*interpolate=*/false);
    if (!second) {
      FAIL_CHECK(format(second.errors()));
      continue;
    }
    CHECK(to_yaml(second->node) == to_yaml(first->node));
    CHECK(second->services == first->services);
    CHECK(second->networks == first->networks);
    CHECK(second->volumes == first->volumes);
    CHECK(second->secrets == first->secrets);
    CHECK(second->configs == first->configs);
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
}
