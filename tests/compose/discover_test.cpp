#include "compose/discover.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "compose/loader.h"
#include "compose/paths.h"

using namespace qpod;
using namespace qpod::compose;
namespace fs = std::filesystem;

namespace {

// A fresh folder under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("qpod-discover-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `rel` (creating folders) and returns the absolute path.
  std::string write(const std::string& rel, const std::string& text = "services: {}\n") const {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string mkdir(const std::string& rel) const {
    fs::create_directories(path_ / rel);
    return (path_ / rel).string();
  }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

LoadOptions options_in(const std::string& dir, Variables env = {}) {
  LoadOptions o;
  o.working_dir = dir;
  o.process_env = std::move(env);
  return o;
}

using Files = std::vector<std::string>;

}  // namespace

TEST_CASE("discover: -f files in order, relative to the working directory") {
  TempDir t;
  t.write("app/base.yaml");
  t.write("app/extra/more.yml");
  auto o = options_in(t / "app");
  o.files = {"base.yaml", "extra/more.yml"};
  auto d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "app/base.yaml", t / "app/extra/more.yml"});
  CHECK(d->project_dir == t / "app");
  CHECK(d->warnings.empty());
}

TEST_CASE("discover: every missing -f file is named, stdin is refused when it was not read") {
  TempDir t;
  t.write("here.yaml");
  t.mkdir("adir");
  auto o = options_in(t.str());
  o.files = {"nope.yaml", "here.yaml", "-", "adir"};
  auto d = discover(o);
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == "-f: file not found: " + (t / "nope.yaml") + "\n" +
                                  "-f: stdin (-) was not read: expected a file path\n" +
                                  "-f: not a regular file: " + (t / "adir") + "\n");
}

TEST_CASE(
    "discover: -f - is the stdin file, its project folder the working one or the next file's") {
  TempDir t;
  const std::string other = t.write("other/more.yaml");
  auto o = options_in(t.mkdir("work"));
  o.stdin_text = "services: {}\n";
  o.files = {"-"};
  auto d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->files == Files{kStdinFile});
  CHECK(d->project_dir == t / "work");
  o.files = {"-", other};
  d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->files == Files{kStdinFile, other});
  CHECK(d->project_dir == t / "other");

  auto env = options_in(t / "work", {{"COMPOSE_FILE", "-"}});  // only -f reads stdin
  env.stdin_text = "services: {}\n";
  d = discover(env);
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == "COMPOSE_FILE: stdin (-) is only for -f: expected a file path\n");
}

TEST_CASE("discover: searches the working directory, then its parents, with the override") {
  TempDir t;
  t.write("compose.yml");
  t.write("compose.override.yaml");
  t.write("docker-compose.override.yml");  // the other family: not used when one matches
  const std::string deep = t.mkdir("src/deep");
  auto d = discover(options_in(deep));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "compose.yml", t / "compose.override.yaml"});
  CHECK(d->project_dir == t.str());
  CHECK(format(d->warnings) == t / "compose.override.yaml" +
                                   ": warning: found several Compose files "
                                   "(compose.override.yaml, docker-compose.override.yml); "
                                   "using compose.override.yaml\n");
}

TEST_CASE("discover: the nearest folder with a Compose file wins") {
  TempDir t;
  t.write("compose.yaml");
  t.write("sub/docker-compose.yaml");
  t.write("sub/docker-compose.override.yml");
  auto d = discover(options_in(t / "sub/x/.."));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "sub/docker-compose.yaml", t / "sub/docker-compose.override.yml"});
  CHECK(d->project_dir == t / "sub");
}

TEST_CASE("discover: compose.yaml beats docker-compose.yml, with a warning") {
  TempDir t;
  t.write("docker-compose.yml");
  t.write("compose.yaml");
  auto d = discover(options_in(t.str()));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "compose.yaml"});
  CHECK(format(d->warnings) == t / "compose.yaml" +
                                   ": warning: found several Compose files (compose.yaml, "
                                   "docker-compose.yml); using compose.yaml\n");
}

TEST_CASE("discover: no Compose file anywhere is an error") {
  TempDir t;
  // Discovery walks up to /, so a Compose file in a parent of the temp folder (someone's
  // /tmp/compose.yaml) is found instead: then that is what the test checks, so it never passes
  // without asserting.
  for (fs::path up = fs::path(t.str()).parent_path();; up = up.parent_path()) {
    for (const char* name :
         {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
      if (fs::exists(up / name)) {
        auto found = discover(options_in(t.str()));
        REQUIRE(found.ok());
        CHECK(found->files.front() == (up / name).string());
        return;
      }
    if (up == up.parent_path()) break;
  }
  auto d = discover(options_in(t.str()));
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == "no Compose file found in " + t.str() +
                                  " or its parents: expected compose.yaml, compose.yml, "
                                  "docker-compose.yaml or docker-compose.yml (or use -f)\n");
}

TEST_CASE("discover: COMPOSE_FILE from the process environment or .env") {
  TempDir t;
  t.write("a.yaml");
  t.write("conf/b.yaml");
  t.write("compose.yaml");  // ignored: COMPOSE_FILE is set
  auto d = discover(options_in(t.str(), {{"COMPOSE_FILE", "a.yaml:conf/b.yaml"}}));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "a.yaml", t / "conf/b.yaml"});

  d = discover(options_in(
      t.str(), {{"COMPOSE_FILE", "conf/b.yaml;a.yaml"}, {"COMPOSE_PATH_SEPARATOR", ";"}}));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "conf/b.yaml", t / "a.yaml"});
  CHECK(d->project_dir == t / "conf");

  t.write(".env", "COMPOSE_FILE=a.yaml\n");
  d = discover(options_in(t.str()));
  REQUIRE(d.ok());
  CHECK(d->files == Files{t / "a.yaml"});

  d = discover(options_in(t.str(), {{"COMPOSE_FILE", "missing.yaml"}}));
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == "COMPOSE_FILE: file not found: " + (t / "missing.yaml") + "\n");
}

TEST_CASE("discover: .env in the project directory, under the process environment") {
  TempDir t;
  t.write("compose.yaml");
  t.write(".env", "FROM_FILE=file\nBOTH=file\nREF=${BOTH}\nCOMPOSE_PROFILES=dev, debug\n");
  auto d = discover(options_in(t.str(), {{"BOTH", "process"}, {"ONLY", "p"}}));
  REQUIRE(d.ok());
  CHECK(d->env == Variables{{"BOTH", "process"},
                            {"COMPOSE_PROFILES", "dev, debug"},
                            {"FROM_FILE", "file"},
                            {"ONLY", "p"},
                            {"REF", "process"}});
  CHECK(d->profiles == std::vector<std::string>{"dev", "debug"});
  // The loaded project keeps them, with the project's name as COMPOSE_PROJECT_NAME (as
  // compose-go): provider programs run with them (engine/provider.h).
  auto loaded = load_project(options_in(t.str(), {{"BOTH", "process"}, {"ONLY", "p"}}));
  REQUIRE(loaded.ok());
  auto expected = d->env;
  expected["COMPOSE_PROJECT_NAME"] = loaded->name;
  CHECK(loaded->environment == expected);
  auto named_opts = options_in(t.str(), {{"COMPOSE_PROJECT_NAME", "from-env"}});
  named_opts.project_name = "from-flag";  // -p wins, and the environment says so
  auto named = load_project(named_opts);
  REQUIRE(named.ok());
  CHECK(named->environment.at("COMPOSE_PROJECT_NAME") == "from-flag");

  auto o = options_in(t.str());
  o.profiles = {"cli"};
  d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->profiles == std::vector<std::string>{"cli"});
}

TEST_CASE("discover: .env is read from the project directory, not the working directory") {
  TempDir t;
  t.write("compose.yaml");
  t.write(".env", "WHERE=project\n");
  t.write("sub/.env", "WHERE=working\n");
  auto d = discover(options_in(t / "sub"));
  REQUIRE(d.ok());
  CHECK(d->env.at("WHERE") == "project");

  auto o = options_in(t.str());
  o.project_directory = "sub";
  o.files = {"compose.yaml"};
  d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->project_dir == t / "sub");
  CHECK(d->env.at("WHERE") == "working");
}

TEST_CASE("discover: --env-file replaces .env, later files win, a missing one is an error") {
  TempDir t;
  t.write("compose.yaml");
  t.write(".env", "DOT=1\n");
  t.write("envs/a.env", "X=a\nY=a\n");
  t.write("envs/b.env", "Y=b\nZ=${X}-b\n");
  auto o = options_in(t.str(), {{"P", "p"}});
  o.env_files = {"envs/a.env", "envs/b.env"};
  auto d = discover(o);
  REQUIRE(d.ok());
  CHECK(d->env == Variables{{"P", "p"}, {"X", "a"}, {"Y", "b"}, {"Z", "a-b"}});

  o.env_files = {"envs/a.env", "envs/none.env"};
  d = discover(o);
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == "--env-file: file not found: " + (t / "envs/none.env") + "\n");
}

TEST_CASE("discover: errors in .env are reported with their position") {
  TempDir t;
  t.write("compose.yaml");
  t.write(".env", "GOOD=1\n9BAD=2\n");
  auto d = discover(options_in(t.str()));
  REQUIRE_FALSE(d.ok());
  CHECK(format(d.errors()) == t / ".env" +
                                  ":2:1: invalid variable name \"9BAD\": expected a letter or _, "
                                  "then letters, digits, _, . or -\n");
}

TEST_CASE("normalize_project_name matches docker compose") {
  CHECK(normalize_project_name("My App") == "myapp");
  CHECK(normalize_project_name("_-web.Front_end-2") == "webfront_end-2");
  CHECK(normalize_project_name("123abc") == "123abc");
  CHECK(normalize_project_name("__") == "");
  CHECK(normalize_project_name("Ünïcode") == "ncode");
}
