#include "env/git_root.h"

#include <fmt/format.h>

#include <boost/uuid/detail/sha1.hpp>
#include <filesystem>
#include <system_error>

#include "compose/discover.h"

namespace fs = std::filesystem;

namespace qpod::env {

std::optional<std::string> find_git_root(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (dir.filename().empty() && dir != dir.root_path()) dir = dir.parent_path();
  while (true) {
    if (fs::exists(fs::symlink_status(dir / ".git", ec))) return dir.string();
    if (dir == dir.root_path() || !dir.has_parent_path()) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::string pod_name(const std::string& root) {
  std::string name = compose::normalize_project_name(fs::path(root).filename().string());
  if (name.empty()) name = "env";
  boost::uuids::detail::sha1 sha;
  sha.process_bytes(root.data(), root.size());
  boost::uuids::detail::sha1::digest_type digest;
  sha.get_digest(digest);
  return name + "-" + fmt::format("{:08x}", digest[0]);
}

bool is_inside(const std::string& path, const std::string& dir) {
  if (dir.empty() || !path.starts_with(dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/' || dir.back() == '/';
}

}  // namespace qpod::env
