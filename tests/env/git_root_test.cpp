// Environment discovery: the git root from any subfolder, and the pod name.
#include "env/git_root.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace qpod::env;

namespace {

using qpod::testing::TempDir;

// Runs git with `args` in `dir` (argv, no shell, output discarded); its exit code.
int git(const fs::path& dir, std::vector<std::string> args) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
    std::vector<char*> argv{const_cast<char*>("git")};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("git", argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("find_git_root: a .git folder, from the root and from a subfolder") {
  TempDir t;
  fs::create_directories(t.path() / "repo" / ".git");
  fs::create_directories(t.path() / "repo" / "a" / "b");
  const std::string root = (t.path() / "repo").string();
  CHECK(find_git_root(root) == root);
  CHECK(find_git_root((t.path() / "repo" / "a" / "b").string()) == root);
  CHECK(find_git_root((t.path() / "repo" / "a" / "b" / "").string()) == root);
  CHECK(find_git_root((t.path() / "repo" / "a" / ".." / "a").string()) == root);
  CHECK_FALSE(find_git_root(t.path().string()));
}

TEST_CASE("find_git_root: a .git file (worktree, submodule) is the root, gitdir not followed") {
  TempDir t;
  fs::create_directories(t.path() / "main" / ".git");
  fs::create_directories(t.path() / "main" / "sub" / "src");
  std::ofstream(t.path() / "main" / "sub" / ".git") << "gitdir: ../.git/modules/sub\n";
  CHECK(find_git_root((t.path() / "main" / "sub" / "src").string()) ==
        (t.path() / "main" / "sub").string());
}

TEST_CASE("find_git_root with real git init and git worktree add") {
  TempDir t;
  const fs::path repo = t.path() / "repo";
  fs::create_directories(repo / "src");
  REQUIRE(git(repo, {"init", "-q"}) == 0);
  std::ofstream(repo / "src" / "f") << "x\n";
  REQUIRE(git(repo, {"add", "."}) == 0);
  REQUIRE(git(repo, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"}) == 0);
  REQUIRE(git(repo, {"worktree", "add", "-q", (t.path() / "wt").string()}) == 0);
  CHECK(fs::is_directory(repo / ".git"));
  CHECK(fs::is_regular_file(t.path() / "wt" / ".git"));
  CHECK(find_git_root((repo / "src").string()) == repo.string());
  CHECK(find_git_root((t.path() / "wt" / "src").string()) == (t.path() / "wt").string());
}

TEST_CASE("pod_name: normalized folder name and 8 hex digits of the root's SHA-1") {
  // printf %s /home/me/My.Project | sha1sum
  CHECK(pod_name("/home/me/My.Project") == "myproject-3f4629c0");
  CHECK(pod_name("/src/qpod") != pod_name("/other/qpod"));
  CHECK(pod_name("/src/qpod").starts_with("qpod-"));
  CHECK(pod_name("/src/qpod").size() == 13);
  CHECK(pod_name("/src/___").starts_with("env-"));
}

TEST_CASE("is_inside") {
  CHECK(is_inside("/a/b", "/a"));
  CHECK(is_inside("/a", "/a"));
  CHECK_FALSE(is_inside("/ab", "/a"));
  CHECK_FALSE(is_inside("/a", ""));
  CHECK(is_inside("/a", "/"));
}
