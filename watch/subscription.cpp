#include "watch/subscription.h"

#include <algorithm>

#include "watch/glob.h"

namespace qpod::watch {
namespace {

std::string join(std::string_view base, std::string_view rel) {
  std::string out(base);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  const std::string clean = clean_relative(rel);
  if (!clean.empty()) {
    if (out != "/") out += '/';
    out += clean;
  }
  return out;
}

}  // namespace

bool Matcher::matches(std::string_view path) const {
  const auto rel = relative_to(base, path);
  if (!rel) return false;
  if (!glob.empty() && !glob_match_prefix(glob, *rel)) return false;
  if (rel->empty()) return true;
  if (!include.empty() && !ignored_by(include, *rel, false)) return false;  // "matched by"
  return !ignored_by(ignore, *rel, false);
}

Matcher path_matcher(std::string_view path) { return {join(path, ""), "", {}}; }

Matcher qpod_entry_matcher(std::string_view repo_root, std::string_view entry) {
  if (has_glob_chars(entry)) return {join(repo_root, ""), clean_relative(entry), {}};
  return {join(repo_root, entry), "", {}};
}

Matcher develop_matcher(const compose::WatchRule& rule) {
  Matcher m = path_matcher(rule.path);
  for (const auto& line : rule.ignore)
    if (auto p = parse_ignore_line(line, Syntax::kDockerignore)) m.ignore.push_back(*p);
  for (const auto& line : rule.include)
    if (auto p = parse_ignore_line(line, Syntax::kDockerignore)) m.include.push_back(*p);
  return m;
}

bool Subscription::matches(std::string_view path) const {
  return std::any_of(matchers.begin(), matchers.end(),
                     [&](const Matcher& m) { return m.matches(path); });
}

}  // namespace qpod::watch
