#pragma once
// Text helpers of the file-driven tests (tests/invalid, tests/hostile).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace qpod::testing
