// engine/lock: the project lock's folder must be this user's and private, and the lock file is
// never followed through a symbolic link; the secret copies (engine/prepare) live there too.
#include "engine/lock.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "engine/prepare.h"
#include "podman/podman_argv.h"
#include "tests/engine/test_project.h"
#include "tests/support/temp_dir.h"

using namespace qpod;
using namespace qpod::engine;
namespace fs = std::filesystem;

namespace {

// XDG_RUNTIME_DIR set to a folder of the test for as long as it lives.
class RuntimeDir {
 public:
  explicit RuntimeDir(const std::string& dir) {
    if (const char* old = std::getenv("XDG_RUNTIME_DIR")) old_ = old;
    ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
  }
  ~RuntimeDir() {
    if (old_)
      ::setenv("XDG_RUNTIME_DIR", old_->c_str(), 1);
    else
      ::unsetenv("XDG_RUNTIME_DIR");
  }

 private:
  std::optional<std::string> old_;
};

std::string lock_error(const std::string& project) {
  auto lock = ProjectLock::acquire(project);
  return lock ? "" : format(lock.errors().front());
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("lock: the folder is created private and the lock is taken", "[engine][lock]") {
  qpod::testing::TempDir tmp;
  RuntimeDir env(tmp.str());
  {
    auto held = ProjectLock::acquire("demo");
    REQUIRE(held);
    const ProjectLock& lock = *held;
    CHECK(lock.path() == tmp / "qpod/demo.lock");
    CHECK(mode_of(tmp / "qpod") == 0700);
    CHECK(mode_of(lock.path()) == 0600);
  }
  CHECK(lock_error("demo") == "");  // again, on the existing folder and file
  // One an older qpod left readable by others (0755) is this user's: made private.
  ::chmod((tmp / "qpod").c_str(), 0755);
  CHECK(lock_error("demo") == "");
  CHECK(mode_of(tmp / "qpod") == 0700);
}

TEST_CASE("lock: a lock file that is a symbolic link is refused, its target untouched",
          "[engine][lock]") {
  qpod::testing::TempDir tmp;
  RuntimeDir env(tmp.str());
  const std::string victim = tmp.write("victim", "keep\n");
  fs::create_directory(tmp / "qpod");
  ::chmod((tmp / "qpod").c_str(), 0700);
  fs::create_symlink(victim, tmp / "qpod/demo.lock");
  CHECK(lock_error("demo") ==
        tmp / "qpod/demo.lock" + " is a symbolic link: remove it (qpod creates the lock file)");
  std::ifstream in(victim);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "keep\n");
}

TEST_CASE(
    "lock: a folder that is a link, not a folder, writable by others or another user's is refused",
    "[engine][lock]") {
  qpod::testing::TempDir tmp;
  RuntimeDir env(tmp.str());
  const std::string dir = tmp / "qpod";
  SECTION("a symbolic link to a folder") {
    fs::create_directory(tmp / "elsewhere");
    fs::create_symlink(tmp / "elsewhere", dir);
    CHECK(lock_error("demo") ==
          dir + " is a symbolic link, not qpod's folder: remove it (qpod creates the folder)");
    CHECK_FALSE(fs::exists(tmp / "elsewhere/demo.lock"));
  }
  SECTION("a file") {
    tmp.write("qpod", "");
    CHECK(lock_error("demo") == dir + " is not a folder: remove it (qpod creates the folder)");
  }
  SECTION("writable by the group or others") {
    fs::create_directory(dir);
    ::chmod(dir.c_str(), 0777);
    CHECK(lock_error("demo") ==
          dir + " can be written by other users: make it private (chmod 700 " + dir + ")");
    ::chmod(dir.c_str(), 0720);
    CHECK(lock_error("demo").find("can be written by other users") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/demo.lock"));
  }
  SECTION("another user's (as root: the folder is given to nobody)") {
    if (::geteuid() != 0) return;  // only root can make a folder someone else's
    fs::create_directory(dir);
    ::chmod(dir.c_str(), 0700);
    REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
    CHECK(lock_error("demo") == dir +
                                    " belongs to uid 65534, not to this user (uid 0): remove it "
                                    "(qpod creates the folder)");
  }
}

TEST_CASE("prepare: secrets are private copies with the reference's mode, uid and gid",
          "[engine][keys][lock]") {
  qpod::testing::TempDir tmp;
  RuntimeDir env(tmp.str());
  const std::string source = tmp.write("src/token.txt", "s3cret\n");
  ::chmod(source.c_str(), 0600);
  auto s = engine::testing::service("web");
  // One source at two targets: two copies, each with its own mode and owner.
  s.secrets = {{"token", "", "", "", std::nullopt}, {"token", "strict", "1000", "", 0400u}};
  s.configs = {{"conf", "", "", "", std::nullopt}};
  auto p = engine::testing::project("demo", {s});
  p.secrets["token"].file = source;
  p.configs["conf"].content = "a=1";
  const auto& web = p.services.at("web");
  REQUIRE(prepare_service(p, web).ok());

  const std::string token = podman::host_file_path(p, web, true, web.secrets[0]);
  const std::string strict = podman::host_file_path(p, web, true, web.secrets[1]);
  CHECK(token.rfind(tmp / "qpod/demo/web/secrets/", 0) == 0);
  CHECK(mode_of(token) == 0444);  // docker compose's default, not the source's 0600
  CHECK(mode_of(strict) == 0400);
  CHECK(mode_of(podman::host_file_path(p, web, false, web.configs[0])) == 0444);
  // Only this user can reach them: every folder on the way is 0700.
  CHECK(strict == tmp / "qpod/demo/web/secrets/run/secrets/strict");
  for (const auto& d : {tmp / "qpod", tmp / "qpod/demo", tmp / "qpod/demo/web",
                        tmp / "qpod/demo/web/secrets", tmp / "qpod/demo/web/secrets/run/secrets"})
    CHECK(mode_of(d) == 0700);
  std::ifstream in(strict);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "s3cret\n");
  if (::geteuid() == 0) {
    struct stat st {};
    REQUIRE(::stat(strict.c_str(), &st) == 0);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_gid == 0);  // gid not given: 0, as docker compose
  }

  // A bad uid is an error that names the secret, never its value.
  p.services.at("web").secrets[1].uid = "bob";
  auto prepared = prepare_service(p, p.services.at("web"));
  REQUIRE_FALSE(prepared.ok());
  CHECK(format(prepared.errors()) == "service web: secret token: uid \"bob\" is not a number\n");
}

TEST_CASE("prepare: a secret file that is a device, a FIFO or a folder is an error, never read",
          "[engine][keys][lock]") {
  qpod::testing::TempDir tmp;
  RuntimeDir env(tmp.str());
  const std::string fifo = tmp / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string folder = tmp.mkdir("folder");
  auto s = engine::testing::service("web");
  s.secrets = {{"zero", "", "", "", std::nullopt},
               {"fifo", "", "", "", std::nullopt},
               {"folder", "", "", "", std::nullopt}};
  auto p = engine::testing::project("demo", {s});
  p.secrets["zero"].file = "/dev/zero";  // read whole, it would never end
  p.secrets["fifo"].file = fifo;         // opened, it would wait for a writer
  p.secrets["folder"].file = folder;
  auto prepared = prepare_service(p, p.services.at("web"));
  REQUIRE_FALSE(prepared.ok());
  CHECK(format(prepared.errors()) ==
        "service web: secret zero: file /dev/zero is not a regular file (a character device)\n"
        "service web: secret fifo: file " +
            fifo +
            " is not a regular file (a FIFO)\n"
            "service web: secret folder: file " +
            folder + " is a directory\n");
}
