#pragma once
// Text helpers of the file-driven tests (tests/invalid, tests/hostile).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace qpod::testing {

// The whole file, bytes as they are ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every occurrence of `from` in `s` becomes `to`.
inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// The files of `dir` whose extension is `ext` (".yaml"), sorted: the cases of a file-driven test.
inline std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir,
                                                               const std::string& ext) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path().lexically_normal());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace qpod::testing
