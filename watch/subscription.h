#pragma once
// What a subscriber listens to: a set of matchers over absolute paths.
#include <string>
#include <string_view>
#include <vector>

#include "compose/model.h"
#include "watch/ignore.h"

namespace qpod::watch {

struct Matcher {
  std::string base;             // absolute: a file, or a directory (everything below it)
  std::string glob;             // relative to base; empty = base itself
  IgnorePatterns ignore;        // relative to base
  IgnorePatterns include = {};  // relative to base; when set, only what they match counts
  bool matches(std::string_view path) const;  // `path` absolute
  bool operator==(const Matcher&) const = default;
};

// An absolute path: that file, or that directory and everything below it.
Matcher path_matcher(std::string_view path);
// A QPOD `watch` entry: a repository-relative path ("src/", "Makefile") or glob
// ("plugins/*.so", "build/**/libfoo.so"); a matched directory matches everything below it.
Matcher qpod_entry_matcher(std::string_view repo_root, std::string_view entry);
// A Compose develop.watch rule: its path, less its `ignore`, and only its `include` when it has
// one (both .dockerignore syntax, relative to the path).
Matcher develop_matcher(const compose::WatchRule& rule);

struct Subscription {
  std::string id;  // e.g. a service name
  std::vector<Matcher> matchers;
  bool matches(std::string_view path) const;
};

}  // namespace qpod::watch
