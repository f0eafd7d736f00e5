// Shell completions and the man page: generated from qpod's command table, checked in under
// completions/ and man/, loaded by the shells themselves, and installed by `cmake --install`.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_binary.h"

namespace fs = std::filesystem;

namespace {

using qpod::testing::run;
using qpod::testing::run_qpod;

const fs::path kSource = QPOD_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path dir;
  TempDir() {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("qpod-completion-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// `SHELL ARGS...` in the source folder's completions/ and man/ (by absolute path), from a
// temporary folder (run() writes its .out and .err there).
qpod::testing::Run shell(const std::string& sh, std::vector<std::string> args) {
  TempDir t;
  for (auto& a : args) {
    for (const std::string rel : {"completions/", "man/"})
      for (auto at = a.find(rel); at != std::string::npos; at = a.find(rel, at + 1)) {
        if (at > 0 && a[at - 1] == '/') continue;  // already absolute
        a.insert(at, kSource.string() + "/");
        at += kSource.string().size() + 1;
      }
  }
  return run(t.dir, "/usr/bin/" + sh, sh, std::move(args));
}

}  // namespace

TEST_CASE("completions and the man page in the tree are what qpod generates from its commands") {
  TempDir t;
  const std::vector<std::pair<std::vector<std::string>, fs::path>> files{
      {{"completion", "bash"}, kSource / "completions/qpod.bash"},
      {{"completion", "zsh"}, kSource / "completions/_qpod"},
      {{"completion", "fish"}, kSource / "completions/qpod.fish"},
      {{"manpage"}, kSource / "man/qpod.1"}};
  for (const auto& [args, file] : files) {
    auto r = run_qpod(t.dir, args);
    INFO(file.string() << " is stale: run scripts/update-completions\n" << r.err);
    CHECK(r.code == 0);
    CHECK(r.out == slurp(file));
  }
  auto help = run_qpod(t.dir, {});
  CHECK(help.out.find("manpage") == std::string::npos);  // hidden
  CHECK(help.out.find("completion") != std::string::npos);
}

TEST_CASE("bash completes qpod's commands and each command's flags") {
  auto r = shell("bash", {"-c", "source completions/qpod.bash && complete -p qpod"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out == "complete -F _qpod qpod\n");
  auto complete = [](const std::string& words, int cword) {
    return shell("bash", {"-c", "source completions/qpod.bash && COMP_WORDS=(" + words +
                                    ") && COMP_CWORD=" + std::to_string(cword) +
                                    " && _qpod && printf '%s\\n' \"${COMPREPLY[@]}\" | sort"});
  };
  r = complete("qpod -h up --det", 3);  // -h is a flag: up is the command, not its value
  CHECK(r.out == "--detach\n");
  r = complete("qpod u", 1);
  INFO(r.err);
  CHECK(r.out == "unpause\nup\n");
  r = complete("qpod -p demo -f x.yaml ex", 5);  // global flags' values are skipped
  CHECK(r.out == "exec\nexec-env\n");
  r = complete("qpod exec --pri", 2);
  CHECK(r.out == "--privileged\n");
  r = complete("qpod service l", 2);
  CHECK(r.out == "list\nlogs\n");
}

TEST_CASE("zsh and fish load their completions, fish completes commands and flags") {
  auto z = shell("zsh", {"-n", "completions/_qpod"});
  INFO(z.err);
  CHECK(z.code == 0);
  auto f = shell("fish", {"--no-execute", "completions/qpod.fish"});
  INFO(f.err);
  CHECK(f.code == 0);
  f = shell("fish", {"-c", "source completions/qpod.fish; complete -C 'qpod unp'"});
  INFO(f.err);
  CHECK(f.out.starts_with("unpause\t"));
  f = shell("fish", {"-c", "source completions/qpod.fish; complete -C 'qpod cp --ar'"});
  CHECK(f.out.starts_with("--archive\t"));
}

TEST_CASE("the man page is valid roff and names every command") {
  auto r = shell("groff", {"-man", "-ww", "-z", "man/qpod.1"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  const std::string page = slurp(kSource / "man/qpod.1");
  // A flag takes no value, an option one.
  CHECK(page.find(".B \\-\\-detach, \\-d\n") != std::string::npos);
  CHECK(page.find(".B \\-\\-timeout, \\-t \\fIVALUE\\fR\n") != std::string::npos);
  for (const char* cmd :
       {"up", "down", "exec", "create", "cp", "events", "stats", "volumes", "attach", "completion"})
    CHECK(page.find(".SS " + std::string(cmd) + "\n") != std::string::npos);
}

TEST_CASE("cmake --install puts the binary, the man page and the completions in place") {
  TempDir t;
  const fs::path build = fs::path(QPOD_BINARY).parent_path();
  auto r = run(t.dir, "/usr/bin/cmake", "cmake",
               {"--install", build.string(), "--prefix", (t.dir / "prefix").string()});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  const fs::path prefix = t.dir / "prefix";
  for (const char* file :
       {"bin/qpod", "share/man/man1/qpod.1", "share/bash-completion/completions/qpod",
        "share/zsh/site-functions/_qpod", "share/fish/vendor_completions.d/qpod.fish"}) {
    INFO(file);
    CHECK(fs::is_regular_file(prefix / file));
  }
  auto v = run(t.dir, (prefix / "bin/qpod").string(), "qpod", {"version", "--short"});
  CHECK(v.code == 0);
}
