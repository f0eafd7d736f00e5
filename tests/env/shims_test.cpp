// Shims folders, the argv[0] dispatch, and the shell hooks.
#include "env/shims.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace qpod;
using namespace qpod::env;

namespace {

using qpod::testing::TempDir;

// name → symlink target (or "file") for every entry of `dir`.
std::map<std::string, std::string> entries(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out[e.path().filename().string()] =
        e.is_symlink() ? fs::read_symlink(e.path()).string() : std::string("file");
  return out;
}

// Runs `shell ARGS... script` with an empty environment but PATH (and HOME, which fish wants);
// its stdout.
std::string run_shell(const std::vector<std::string>& argv, const std::string& script,
                      const fs::path& tmp) {
  const fs::path out = tmp / "shell.out";
  const std::string home = "HOME=" + tmp.string();
  std::vector<std::string> args = argv;
  args.push_back(script);
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout)) _exit(127);
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    char path[] = "PATH=/usr/bin:/bin";
    std::string home_var = home;
    char* envp[] = {path, home_var.data(), nullptr};
    execve(cargv[0], cargv.data(), envp);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(out);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string bash(const std::string& script, const fs::path& tmp) {
  return run_shell({"/bin/bash", "--norc", "--noprofile", "-c"}, script, tmp);
}

// A repository with a shims folder and a subfolder `src`, under `t`; its path.
std::string shims_repo(const fs::path& t) {
  fs::create_directories(t / "repo" / ".git");
  fs::create_directories(t / "repo" / ".qpod" / "shims");
  fs::create_directories(t / "repo" / "src");
  return (t / "repo").string();
}

}  // namespace

TEST_CASE("default_shims_dir") { CHECK(default_shims_dir("/src/r") == "/src/r/.qpod/shims"); }

TEST_CASE("create_shims: one symlink per binary, stale shims removed, other files kept") {
  TempDir t;
  compose::QpodEnvironment e;
  e.binaries = {{"waf", {}, {}}, {"gdb", {}, {}}};
  const fs::path dir = t.path() / "a" / "shims";
  auto made = create_shims(e, dir.string(), "/usr/bin/qpod");
  REQUIRE(made.ok());
  CHECK(*made == std::vector<std::string>{"waf", "gdb"});
  CHECK(entries(dir) ==
        std::map<std::string, std::string>{{"gdb", "/usr/bin/qpod"}, {"waf", "/usr/bin/qpod"}});
  std::ofstream(dir / "README") << "mine\n";
  e.binaries = {{"make", {}, {}}, {"gdb", {}, {}}};
  REQUIRE(create_shims(e, dir.string(), "/opt/qpod").ok());
  CHECK(entries(dir) == std::map<std::string, std::string>{
                            {"README", "file"}, {"gdb", "/opt/qpod"}, {"make", "/opt/qpod"}});
}

TEST_CASE("create_shims: a file in the way is an error") {
  TempDir t;
  compose::QpodEnvironment e;
  e.binaries = {{"make", {}, {}}};
  std::ofstream(t.path() / "make") << "x";
  auto made = create_shims(e, t.path().string(), "/usr/bin/qpod");
  REQUIRE_FALSE(made.ok());
  CHECK(format(made.errors()) ==
        (t.path() / "make").string() + ": not a symlink: remove it to make a shim here\n");
}

TEST_CASE("shim_args: under another name, qpod runs exec-env -- NAME ARGS") {
  const char* as_qpod[] = {"/usr/bin/qpod", "config"};
  CHECK(shim_args(2, as_qpod).empty());
  const char* as_make[] = {"/src/r/.qpod/shims/make", "-j2", "all"};
  CHECK(shim_args(3, as_make) == std::vector<std::string>{"/src/r/.qpod/shims/make", "exec-env",
                                                          "--", "make", "-j2", "all"});
  const char* bare[] = {"gdb"};
  CHECK(shim_args(1, bare) == std::vector<std::string>{"gdb", "exec-env", "--", "gdb"});
}

TEST_CASE("hook_script: bash, zsh and fish, nothing for another shell") {
  auto b = hook_script("bash"), z = hook_script("zsh"), f = hook_script("fish");
  REQUIRE(b);
  REQUIRE(z);
  REQUIRE(f);
  CHECK(b->starts_with("_qpod_hook() {\n"));
  CHECK(b->ends_with(
      "  *) PROMPT_COMMAND=\"_qpod_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}\" ;;\nesac\n"));
  CHECK(z->starts_with("_qpod_hook() {\n"));
  CHECK(z->ends_with("}\nautoload -Uz add-zsh-hook\nadd-zsh-hook precmd _qpod_hook\n"));
  CHECK(f->starts_with("function _qpod_hook --on-variable PWD\n"));
  CHECK(f->find("set -gx PATH $shims $PATH\n") != std::string::npos);
  CHECK(f->ends_with("_qpod_hook\n"));
  CHECK_FALSE(hook_script("tcsh"));
}

TEST_CASE("the bash hook puts the shims on PATH inside the repository only, once") {
  TempDir t;
  const std::string repo = shims_repo(t.path());
  const std::string script = *hook_script("bash") + "cd " + repo +
                             "/src; _qpod_hook; _qpod_hook; echo \"$PATH\"\n"
                             "cd /; _qpod_hook; echo \"$PATH\"\n"
                             "echo \"$PROMPT_COMMAND\"\n";
  CHECK(bash(script, t.path()) == repo + "/.qpod/shims:/usr/bin:/bin\n/usr/bin:/bin\n_qpod_hook\n");
}

TEST_CASE("the zsh hook: the same, run before each prompt") {
  TempDir t;
  const std::string repo = shims_repo(t.path());
  const std::string script = *hook_script("zsh") + "cd " + repo +
                             "/src; _qpod_hook; _qpod_hook; echo \"$PATH\"\n"
                             "cd /; _qpod_hook; echo \"$PATH\"\n"
                             "echo \"$precmd_functions\"\n";
  CHECK(run_shell({"/usr/bin/zsh", "-f", "-c"}, script, t.path()) ==
        repo + "/.qpod/shims:/usr/bin:/bin\n/usr/bin:/bin\n_qpod_hook\n");
}

TEST_CASE("the fish hook: PATH follows each cd by itself") {
  TempDir t;
  const std::string repo = shims_repo(t.path());
  const std::string script = *hook_script("fish") + "cd " + repo +
                             "/src; string join : $PATH\n"
                             "cd /; string join : $PATH\n"
                             "cd " +
                             repo + "; string join : $PATH\n";
  CHECK(run_shell({"/usr/bin/fish", "--no-config", "-c"}, script, t.path()) ==
        repo + "/.qpod/shims:/usr/bin:/bin\n/usr/bin:/bin\n" + repo +
            "/.qpod/shims:/usr/bin:/bin\n");
}
