#include "watch/ignore.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"
#include "watch/glob.h"

using namespace qpod::watch;
using qpod::testing::TempDir;

namespace {

// `rel` against a .gitignore text, as git decides (ancestors included).
bool git_ignores(const char* text, const char* rel, bool is_dir = false) {
  return ignored_by(parse_ignore(text), rel, is_dir);
}

}  // namespace

TEST_CASE("glob: one segment per *, ? and [...], ** spans segments") {
  CHECK(glob_match("*.c", "a.c"));
  CHECK_FALSE(glob_match("*.c", "src/a.c"));
  CHECK(glob_match("src/?.c", "src/a.c"));
  CHECK_FALSE(glob_match("src/?.c", "src/ab.c"));
  CHECK(glob_match("src/[a-c].c", "src/b.c"));
  CHECK_FALSE(glob_match("src/[a-c].c", "src/d.c"));
  CHECK(glob_match("src/[!a].c", "src/b.c"));
  CHECK(glob_match("**/libfoo.so", "libfoo.so"));
  CHECK(glob_match("**/libfoo.so", "a/b/libfoo.so"));
  CHECK(glob_match("build/**/libfoo.so", "build/libfoo.so"));
  CHECK(glob_match("build/**/libfoo.so", "build/x/y/libfoo.so"));
  CHECK_FALSE(glob_match("build/**/libfoo.so", "other/x/libfoo.so"));
  CHECK(glob_match("a/**", "a/b/c"));
  CHECK_FALSE(glob_match("a/**", "a"));
  CHECK(glob_match("*", ".hidden"));  // git does not treat a leading dot specially
  CHECK(glob_match("\\*.c", "*.c"));
  CHECK_FALSE(glob_match("\\*.c", "a.c"));
}

TEST_CASE("glob: prefix matching makes a matched directory stand for its contents") {
  CHECK(glob_match_prefix("plugins/*", "plugins/x/y.so"));
  CHECK(glob_match_prefix("plugins/*.so", "plugins/a.so"));
  CHECK_FALSE(glob_match_prefix("plugins/*.so", "plugins/a.txt"));
  CHECK_FALSE(glob_match_prefix("plugins/*.so", "plugins"));
  CHECK(has_glob_chars("a/*.so"));
  CHECK_FALSE(has_glob_chars("a/b.so"));
  CHECK(clean_relative("./a//b/") == "a/b");
  CHECK(clean_relative(".") == "");
}

TEST_CASE("gitignore lines: comments, blanks, negation, slashes, trailing spaces") {
  CHECK_FALSE(parse_ignore_line(""));
  CHECK_FALSE(parse_ignore_line("   "));
  CHECK_FALSE(parse_ignore_line("# comment"));
  CHECK(parse_ignore_line("\\#file")->glob == "**/\\#file");
  CHECK(*parse_ignore_line("*.o") == IgnorePattern{"**/*.o", false, false});
  CHECK(*parse_ignore_line("!keep.o") == IgnorePattern{"**/keep.o", true, false});
  CHECK(*parse_ignore_line("build/") == IgnorePattern{"**/build", false, true});
  CHECK(*parse_ignore_line("/build") == IgnorePattern{"build", false, false});
  CHECK(*parse_ignore_line("doc/frotz") == IgnorePattern{"doc/frotz", false, false});
  CHECK(parse_ignore_line("a.txt   ")->glob == "**/a.txt");
  CHECK(parse_ignore_line("a.txt\\ ")->glob == "**/a.txt\\ ");
  CHECK(parse_ignore_line("x\r")->glob == "**/x");
  CHECK_FALSE(parse_ignore_line("/"));
  CHECK(parse_ignore("a\n\n#c\n!b\n").size() == 2);
  // .dockerignore (Compose develop.watch ignore): always anchored, no directory-only flag.
  CHECK(*parse_ignore_line("node_modules/", Syntax::kDockerignore) ==
        IgnorePattern{"node_modules", false, false});
}

TEST_CASE("gitignore semantics") {
  // Unanchored patterns match at any depth, anchored ones only from the base.
  CHECK(git_ignores("*.o", "a.o"));
  CHECK(git_ignores("*.o", "src/deep/a.o"));
  CHECK_FALSE(git_ignores("*.o", "a.c"));
  CHECK(git_ignores("/a.o", "a.o"));
  CHECK_FALSE(git_ignores("/a.o", "src/a.o"));
  CHECK(git_ignores("doc/frotz", "doc/frotz"));
  CHECK_FALSE(git_ignores("doc/frotz", "a/doc/frotz"));
  // '*' does not cross '/'.
  CHECK(git_ignores("doc/*.txt", "doc/a.txt"));
  CHECK_FALSE(git_ignores("doc/*.txt", "doc/x/a.txt"));
  // A trailing '/' matches directories only, and with them everything below.
  CHECK(git_ignores("build/", "build", true));
  CHECK_FALSE(git_ignores("build/", "build", false));
  CHECK(git_ignores("build/", "build/out/a.o"));
  CHECK(git_ignores("build/", "src/build/a.o"));
  // Negation: the last matching pattern wins.
  CHECK(git_ignores("*.log\n!keep.log", "a.log"));
  CHECK_FALSE(git_ignores("*.log\n!keep.log", "keep.log"));
  CHECK(git_ignores("!keep.log\n*.log", "keep.log"));
  // ...but nothing below an ignored directory can be re-included.
  CHECK(git_ignores("logs/\n!logs/keep.log", "logs/keep.log"));
  // "dir/*" ignores the contents, not the directory, so a negation works.
  CHECK_FALSE(git_ignores("logs/*\n!logs/keep.log", "logs/keep.log"));
  CHECK(git_ignores("logs/*\n!logs/keep.log", "logs/other.log"));
  // "**": leading, middle and trailing.
  CHECK(git_ignores("**/foo", "foo"));
  CHECK(git_ignores("**/foo", "a/b/foo"));
  CHECK(git_ignores("**/foo/bar", "x/foo/bar"));
  CHECK(git_ignores("a/**/b", "a/b"));
  CHECK(git_ignores("a/**/b", "a/x/y/b"));
  CHECK_FALSE(git_ignores("a/**/b", "c/a/x/b"));
  CHECK(git_ignores("abc/**", "abc/x/y"));
  CHECK_FALSE(git_ignores("abc/**", "abc", true));
  CHECK_FALSE(git_ignores("abc/**\n!abc/keep", "abc/keep"));
  // '?' and classes.
  CHECK(git_ignores("file?.txt", "file1.txt"));
  CHECK_FALSE(git_ignores("file?.txt", "file10.txt"));
  CHECK(git_ignores("*.[oa]", "lib.a"));
  CHECK_FALSE(git_ignores("*.[oa]", "lib.so"));
  // Escapes.
  CHECK(git_ignores("\\!important", "!important"));
  CHECK(git_ignores("\\#notes", "#notes"));
}

TEST_CASE("IgnoreRules reads root and nested .gitignore files and always ignores .git") {
  TempDir d;
  d.write(".gitignore", "*.o\nbuild/\n/top-only\n");
  d.write("sub/.gitignore", "!keep.o\nlocal.txt\n/anchored\n");
  IgnoreRules rules(d.path(), parse_ignore("*.tmp\n"));

  CHECK(rules.ignored(d / ".git", true));
  CHECK(rules.ignored(d / ".git/config", false));
  CHECK(rules.ignored(d / "sub/.git/HEAD", false));
  CHECK(rules.ignored(d / "a.o", false));
  CHECK(rules.ignored(d / "x/y/a.o", false));
  CHECK_FALSE(rules.ignored(d / "sub/keep.o", false));  // the deeper file wins
  CHECK(rules.ignored(d / "keep.o", false));            // ...only below its own folder
  CHECK(rules.ignored(d / "sub/x/local.txt", false));
  CHECK_FALSE(rules.ignored(d / "local.txt", false));
  CHECK(rules.ignored(d / "sub/anchored", false));
  CHECK_FALSE(rules.ignored(d / "sub/x/anchored", false));
  CHECK(rules.ignored(d / "top-only", false));
  CHECK_FALSE(rules.ignored(d / "sub/top-only", false));
  CHECK(rules.ignored(d / "build/x/main.c", false));
  CHECK(rules.ignored(d / "notes.tmp", false));  // the extra patterns
  CHECK_FALSE(rules.ignored(d / "main.c", false));
  CHECK_FALSE(rules.ignored(d.path(), true));  // never the root
  CHECK_FALSE(rules.ignored("/elsewhere/a.o", false));

  // A changed .gitignore is re-read once invalidated.
  d.write("sub/.gitignore", "main.c\n");
  CHECK(rules.ignored(d / "sub/keep.o", false) == false);  // still cached
  rules.invalidate(d / "sub");
  CHECK(rules.ignored(d / "sub/keep.o", false));
  CHECK(rules.ignored(d / "sub/main.c", false));

  IgnoreRules no_git(d.path(), {}, false);
  CHECK_FALSE(no_git.ignored(d / "a.o", false));
  CHECK(no_git.ignored(d / ".git/config", false));
}

TEST_CASE("IgnoreRules::keep: a named path the rules ignore is kept, with what is below it") {
  TempDir d;
  d.write(".gitignore", "/build/\n*.log\n");
  IgnoreRules rules(d.path());
  rules.keep(d / "build/plugin.so");  // not there yet, inside an ignored folder
  rules.keep(d / "out");              // not ignored: changes nothing
  rules.keep(d / "logs/app.log");
  CHECK_FALSE(rules.ignored(d / "build", true));  // on the way to the named file
  CHECK_FALSE(rules.ignored(d / "build/plugin.so", false));
  CHECK(rules.ignored(d / "build/main.o", false));  // the rest of build/ stays ignored
  CHECK(rules.ignored(d / "build/sub", true));
  CHECK_FALSE(rules.ignored(d / "logs/app.log", false));
  CHECK(rules.ignored(d / "logs/other.log", false));
  CHECK(rules.ignored(d / "out/x.log", false));  // inside a named path the rules kept: rules
  rules.keep(d / "build");
  CHECK_FALSE(rules.ignored(d / "build/sub/main.o", false));  // a named folder: all below it
  CHECK(rules.ignored(d / "build/.git/HEAD", false));         // but never .git
  CHECK(rules.ignored(d / "x.log", false));
}

TEST_CASE("IgnoreRules::keep: a named path a new .gitignore ignores is kept once invalidated") {
  TempDir d;
  IgnoreRules rules(d.path());
  rules.keep(d / "out/plugin.so");   // not ignored: nothing to keep yet
  d.write("out/.gitignore", "*\n");  // as `meson setup out` writes
  rules.invalidate(d / "out");
  CHECK_FALSE(rules.ignored(d / "out/plugin.so", false));
  CHECK(rules.ignored(d / "out/main.o", false));
}

TEST_CASE("relative_to") {
  CHECK(relative_to("/a/b", "/a/b/c/d") == "c/d");
  CHECK(relative_to("/a/b/", "/a/b") == "");
  CHECK_FALSE(relative_to("/a/b", "/a/bc"));
  CHECK_FALSE(relative_to("/a/b", "/a"));
  CHECK(relative_to("/", "/x") == "x");
}
