#pragma once
// Path globs: `*`, `?` and `[...]` within one path segment (fnmatch(3)), and `**` as a whole
// segment for any number of segments (none included). Paths and patterns use '/' and are
// relative ("src/a.c", not "./src/a.c" or "/src/a.c").
#include <string>
#include <string_view>

namespace qpod::watch {

// True when `pattern` matches all of `path`.
bool glob_match(std::string_view pattern, std::string_view path);

// True when `pattern` matches `path` or one of its ancestors ("build/*" matches "build/x/y.o"):
// a matched directory stands for everything below it.
bool glob_match_prefix(std::string_view pattern, std::string_view path);

// True when `s` contains a glob metacharacter (`*`, `?` or `[`).
bool has_glob_chars(std::string_view s);

// "./a//b/" → "a/b"; "." and "" → "".
std::string clean_relative(std::string_view path);

}  // namespace qpod::watch
