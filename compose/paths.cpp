#include "compose/paths.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace qpod::compose {

std::string absolute_path(const std::string& dir, const std::string& path) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(dir) / p;
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

}  // namespace qpod::compose
