#include "watch/ignore.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "watch/glob.h"

namespace qpod::watch {
namespace fs = std::filesystem;

std::optional<IgnorePattern> parse_ignore_line(std::string_view line, Syntax syntax) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // Trailing spaces go unless escaped with a backslash.
  while (!line.empty() && line.back() == ' ' &&
         !(line.size() >= 2 && line[line.size() - 2] == '\\'))
    line.remove_suffix(1);
  if (syntax == Syntax::kDockerignore)
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.empty() || line.front() == '#') return std::nullopt;
  IgnorePattern p;
  if (line.front() == '!') {
    p.negate = true;
    line.remove_prefix(1);
  }
  while (!line.empty() && line.back() == '/') {
    p.dir_only = syntax == Syntax::kGitignore;  // .dockerignore cleans the slash away
    line.remove_suffix(1);
  }
  // A '/' at the start or in the middle anchors a git pattern to its base; .dockerignore
  // patterns are always anchored.
  const bool anchored = syntax == Syntax::kDockerignore || line.find('/') != std::string::npos;
  std::string glob = clean_relative(line);
  if (glob.empty()) return std::nullopt;
  p.glob = anchored ? glob : "**/" + glob;
  return p;
}

IgnorePatterns parse_ignore(std::string_view text, Syntax syntax) {
  IgnorePatterns out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t j = std::min(text.find('\n', i), text.size());
    if (auto p = parse_ignore_line(text.substr(i, j - i), syntax)) out.push_back(std::move(*p));
    i = j + 1;
  }
  return out;
}

Verdict match_patterns(const IgnorePatterns& patterns, std::string_view rel, bool is_dir) {
  for (auto it = patterns.rbegin(); it != patterns.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    if (glob_match(it->glob, rel)) return it->negate ? Verdict::kIncluded : Verdict::kIgnored;
  }
  return Verdict::kNone;
}

bool ignored_by(const IgnorePatterns& patterns, std::string_view rel, bool is_dir) {
  for (std::size_t i = rel.find('/'); i != std::string_view::npos; i = rel.find('/', i + 1))
    if (match_patterns(patterns, rel.substr(0, i), true) == Verdict::kIgnored) return true;
  return match_patterns(patterns, rel, is_dir) == Verdict::kIgnored;
}

std::optional<std::string> relative_to(std::string_view base, std::string_view path) {
  while (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
  if (path.substr(0, base.size()) != base) return std::nullopt;
  std::string_view rest = path.substr(base.size());
  if (!rest.empty() && rest.front() != '/' && base != "/") return std::nullopt;
  return clean_relative(rest);
}

IgnoreRules::IgnoreRules(const fs::path& root, IgnorePatterns extra, bool use_gitignore)
    : root_(root.lexically_normal().string()),
      extra_(std::move(extra)),
      use_gitignore_(use_gitignore) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

bool IgnoreRules::ignored(const fs::path& path, bool is_dir) {
  auto rel = relative_to(root_, path.native());
  if (!rel || rel->empty()) return false;
  if (auto v = kept_verdict(*rel, is_dir)) return *v;
  return ignored_rel(*rel, is_dir);
}

void IgnoreRules::keep(const fs::path& path) {
  auto rel = relative_to(root_, path.lexically_normal().native());
  if (!rel || rel->empty()) return;
  while (!rel->empty() && rel->back() == '/') rel->pop_back();
  named_.push_back(*rel);
  judge_named();
}

// For a path at or below a kept one: ignored only inside `.git`. For a directory on the way to
// one: not ignored. Otherwise nullopt: the rules decide (so the other files of a directory on
// the way stay ignored).
std::optional<bool> IgnoreRules::kept_verdict(const std::string& rel, bool is_dir) const {
  for (const auto& k : keep_) {
    if (rel == k || (rel.size() > k.size() && rel.starts_with(k) && rel[k.size()] == '/')) {
      const std::string framed = "/" + rel + "/";
      return framed.find("/.git/") != std::string::npos;
    }
    if (is_dir && k.size() > rel.size() && k.starts_with(rel) && k[rel.size()] == '/') return false;
  }
  return std::nullopt;
}

bool IgnoreRules::ignored(const fs::path& path) {
  std::error_code ec;
  return ignored(path, fs::is_directory(fs::symlink_status(path, ec)));
}

void IgnoreRules::invalidate(const fs::path& dir) {
  if (auto rel = relative_to(root_, dir.native())) gitignores_.erase(*rel);
  dirs_.clear();
  judge_named();
}

void IgnoreRules::judge_named() {
  keep_.clear();
  // Asked both ways: a named path may not exist yet ("build/" before the first build).
  for (const auto& rel : named_)
    if (ignored_rel(rel, true) || ignored_rel(rel, false)) keep_.push_back(rel);
}

const IgnorePatterns& IgnoreRules::gitignore_of(const std::string& dir_rel) {
  auto it = gitignores_.find(dir_rel);
  if (it != gitignores_.end()) return it->second;
  IgnorePatterns patterns;
  if (use_gitignore_) {
    const fs::path file = fs::path(root_) / dir_rel / ".gitignore";
    if (std::ifstream in(file); in) {
      std::ostringstream text;
      text << in.rdbuf();
      patterns = parse_ignore(text.str());
    }
  }
  return gitignores_.emplace(dir_rel, std::move(patterns)).first->second;
}

bool IgnoreRules::dir_ignored(const std::string& rel) {
  if (rel.empty()) return false;
  if (auto it = dirs_.find(rel); it != dirs_.end()) return it->second;
  const bool result = ignored_rel(rel, true);
  dirs_.emplace(rel, result);
  return result;
}

bool IgnoreRules::ignored_rel(const std::string& rel, bool is_dir) {
  const std::size_t slash = rel.rfind('/');
  const std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
  if (name == ".git") return true;
  if (slash != std::string::npos && dir_ignored(rel.substr(0, slash))) return true;
  // Own verdict: the root's .gitignore, then deeper ones (which take precedence), then the
  // extra patterns; the last match wins.
  Verdict verdict = Verdict::kNone;
  std::size_t start = 0;
  while (true) {
    const std::string dir = start == 0 ? std::string() : rel.substr(0, start - 1);
    const Verdict v =
        match_patterns(gitignore_of(dir), std::string_view(rel).substr(start), is_dir);
    if (v != Verdict::kNone) verdict = v;
    const std::size_t next = rel.find('/', start);
    if (next == std::string::npos) break;
    start = next + 1;
  }
  if (const Verdict v = match_patterns(extra_, rel, is_dir); v != Verdict::kNone) verdict = v;
  return verdict == Verdict::kIgnored;
}

}  // namespace qpod::watch
