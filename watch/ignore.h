#pragma once
// Ignore rules: `.git` always, `.gitignore` files (root and nested, git's rules) and extra
// patterns such as Compose's develop.watch `ignore` (.dockerignore syntax: anchored to the base).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qpod::watch {

enum class Syntax { kGitignore, kDockerignore };

struct IgnorePattern {
  std::string glob;  // relative to the patterns' base; an unanchored git pattern gets "**/"
  bool negate = false;
  bool dir_only = false;  // the pattern ended in '/'
  bool operator==(const IgnorePattern&) const = default;
};
using IgnorePatterns = std::vector<IgnorePattern>;

// One line: nullopt for blank lines, comments and patterns that are empty once parsed.
std::optional<IgnorePattern> parse_ignore_line(std::string_view line,
                                               Syntax syntax = Syntax::kGitignore);
IgnorePatterns parse_ignore(std::string_view text, Syntax syntax = Syntax::kGitignore);

enum class Verdict { kNone, kIgnored, kIncluded };
// The verdict of the last pattern matching `rel` itself (ancestors are not looked at).
Verdict match_patterns(const IgnorePatterns& patterns, std::string_view rel, bool is_dir);
// True when `rel` or one of its ancestor directories is ignored: as in git, a file below an
// ignored directory cannot be re-included.
bool ignored_by(const IgnorePatterns& patterns, std::string_view rel, bool is_dir);

// The rules of one watched root; `.gitignore` files are read on first use and cached, as are
// the verdicts for directories. Not thread-safe.
class IgnoreRules {
 public:
  explicit IgnoreRules(const std::filesystem::path& root, IgnorePatterns extra = {},
                       bool use_gitignore = true);

  // `path` is absolute; paths outside the root are never ignored, nor is the root.
  bool ignored(const std::filesystem::path& path, bool is_dir);
  bool ignored(const std::filesystem::path& path);  // asks the file system whether it is a dir
  // A `.gitignore` in `dir` changed: re-read it and forget the cached verdicts.
  void invalidate(const std::filesystem::path& dir);
  // A path a watch names (absolute). If the rules ignore it (as .gitignore ignores the build
  // output a service restarts on), it is kept anyway: it, everything below it, and the
  // directories on the way to it. A named path the rules keep changes nothing (until a changed
  // .gitignore ignores it: it is judged again on invalidate). `.git` stays ignored.
  void keep(const std::filesystem::path& path);
  const std::string& root() const { return root_; }

 private:
  std::optional<bool> kept_verdict(const std::string& rel, bool is_dir) const;
  void judge_named();
  bool ignored_rel(const std::string& rel, bool is_dir);
  bool dir_ignored(const std::string& rel);
  const IgnorePatterns& gitignore_of(const std::string& dir_rel);

  std::string root_;  // absolute, no trailing '/'
  IgnorePatterns extra_;
  bool use_gitignore_;
  std::unordered_map<std::string, IgnorePatterns> gitignores_;  // dir ("" = root) → patterns
  std::unordered_map<std::string, bool> dirs_;                  // dir → ignored
  std::vector<std::string> named_;  // relative: every path keep() was given
  std::vector<std::string> keep_;   // those of them the rules ignore (re-judged on invalidate)
};

// `path` relative to `base` with '/' ("" for base itself), or nullopt when outside it.
std::optional<std::string> relative_to(std::string_view base, std::string_view path);

}  // namespace qpod::watch
