#include "watch/glob.h"

#include <fnmatch.h>

#include <vector>

namespace qpod::watch {
namespace {

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t j = std::min(s.find('/', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool segment_match(const std::string& pattern, const std::string& name) {
  // Within one segment there is no '/', so FNM_PATHNAME changes nothing; a leading '.' is
  // matched by '*' as in git (no FNM_PERIOD).
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// Matches pattern segments [pi..] against path segments [si..]. With `prefix`, the pattern may
// end before the path does.
bool match_from(const std::vector<std::string>& pat, std::size_t pi,
                const std::vector<std::string>& path, std::size_t si, bool prefix) {
  while (pi < pat.size()) {
    if (pat[pi] == "**") {
      // Collapse runs of "**"; then try every split point, shortest first.
      while (pi + 1 < pat.size() && pat[pi + 1] == "**") ++pi;
      // A trailing "**" matches everything below, but not the directory itself (as in git).
      if (pi + 1 == pat.size()) return si < path.size();
      for (std::size_t k = si; k <= path.size(); ++k)
        if (match_from(pat, pi + 1, path, k, prefix)) return true;
      return false;
    }
    if (si == path.size() || !segment_match(pat[pi], path[si])) return false;
    ++pi;
    ++si;
  }
  return si == path.size() || prefix;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(split(pattern), 0, split(path), 0, false);
}

bool glob_match_prefix(std::string_view pattern, std::string_view path) {
  return match_from(split(pattern), 0, split(path), 0, true);
}

bool has_glob_chars(std::string_view s) { return s.find_first_of("*?[") != std::string::npos; }

std::string clean_relative(std::string_view path) {
  std::string out;
  for (const auto& seg : split(path)) {
    if (seg == ".") continue;
    if (!out.empty()) out += '/';
    out += seg;
  }
  return out;
}

}  // namespace qpod::watch
