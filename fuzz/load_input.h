#pragma once
// What the fuzz target does with one input, shared with the unit test that replays
// fuzz/regressions/: the input as `dir`/compose.yaml through the whole loader, then what `up`
// checks and what `config` prints. Anything thrown is a finding (main() would exit 2).
#include <filesystem>
#include <fstream>
#include <string_view>

#include "compose/emit.h"
#include "compose/loader.h"
#include "compose/validate.h"

namespace qpod::fuzz {

// A folder for the inputs: a .env and an env file an input may name.
inline void prepare_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / ".env") << "A=a\nB=${A:-b}\nPORT=8080\n";
  std::ofstream(dir / "web.env") << "W=1\n";
}

// True if the input loaded.
inline bool load_input(std::string_view data, const std::filesystem::path& dir) {
  const auto file = dir / "compose.yaml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  compose::LoadOptions opts;
  opts.files = {file.string()};
  opts.working_dir = dir.string();
  opts.project_name = "fuzz";
  opts.process_env = compose::Variables{{"HOME", "/home/fuzz"}, {"TAG", "1.0"}};
  auto project = compose::load_project(opts);
  if (!project) return false;
  (void)compose::validate_pod(project->node);
  (void)compose::to_yaml(project->node);
  (void)compose::to_json_text(project->node, 2);
  return true;
}

}  // namespace qpod::fuzz
