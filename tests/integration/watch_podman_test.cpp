// qpod watch and qpod up --watch on real podman: the command runs in the background, files
// change, the right containers restart (or get the files), and Ctrl-C leaves the stack up.
#include <signal.h>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;
using qpod::testing::eventually;
using qpod::testing::read_file;
namespace bp = boost::process;
namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string started(const std::string& container) {
  return inspect(container, "{{.State.StartedAt.UnixNano}}");
}

// The lines of `text` that contain `word`.
std::vector<std::string> lines_with(const std::string& text, const std::string& word) {
  std::vector<std::string> out;
  for (const auto& l : ProjectGuard::lines(text))
    if (l.find(word) != std::string::npos) out.push_back(l);
  return out;
}

// qpod ARGS... running in the background in the project's folder; output goes to files beside
// it (not inside: the folder is watched).
class Background {
 public:
  Background(const ProjectGuard& p, std::vector<std::string> args)
      : out_(p.dir().string() + ".out"), err_(p.dir().string() + ".err") {
    args.insert(args.begin(), {"-p", p.name()});
    child_ =
        bp::child(QPOD_BINARY, bp::args(args), bp::start_dir(p.dir().string()), bp::std_in.close(),
                  bp::std_out > out_.string(), bp::std_err > err_.string());
  }
  ~Background() {
    if (child_.running()) child_.terminate();
    std::error_code ec;
    fs::remove(out_, ec);
    fs::remove(err_, ec);
  }
  std::string out() const { return read_file(out_); }
  std::string err() const { return read_file(err_); }
  bool running() { return child_.running(); }
  // Ctrl-C; the exit code, or -1 when it did not end within a minute (then it is killed).
  int interrupt() {
    ::kill(child_.id(), SIGINT);
    if (!eventually([&] { return !child_.running(); })) {
      child_.terminate();
      return -1;
    }
    child_.wait();
    return child_.exit_code();
  }
  // Waits for "Watch enabled" (after up).
  bool enabled() {
    return eventually(
               [&] { return out().find("Watch enabled") != std::string::npos || !running(); }) &&
           out().find("Watch enabled") != std::string::npos;
  }

 private:
  fs::path out_, err_;
  bp::child child_;
};

int git(const fs::path& dir, std::vector<std::string> args) {
  return qpod::podman::run_process(qpod::podman::find_in_path("git"), args, dir.string()).exit_code;
}

// A QPOD environment: web restarts when src/ changes, conf when any *.conf does.
void qpod_repository(const ProjectGuard& p) {
  REQUIRE(git(p.dir(), {"init", "-q"}) == 0);
  std::string service =
      std::string(R"("image": ")") + qpod::it::kImage +
      R"(", "init": true, "stop_grace_period": "1s", "command": ["sleep", "600"])";
  p.write(".gitignore", "*.log\n");
  fs::create_directories(p.dir() / ".qpod");
  p.write(".qpod/template.json", std::string(R"({"name": "watchrun", "image": ")") +
                                     qpod::it::kImage + R"(", "services": {
    "web": {)" + service + R"(, "watch": ["src/"]},
    "conf": {)" + service + R"(, "watch": ["**/*.conf"]}}})");
  write_file(p.dir() / "src/main.c", "int main() {}\n");
}

}  // namespace

TEST_CASE("qpod watch restarts exactly the service whose watched file changed, once per burst",
          "[podman][watchrun]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("watchrun-qpod"));
  qpod_repository(p);
  const std::string web = p.name() + "-web-1", conf = p.name() + "-conf-1";

  Background watch(p, {"watch"});
  REQUIRE(watch.enabled());
  INFO("stdout:\n" << watch.out() << "stderr:\n" << watch.err());
  REQUIRE(inspect(web, "{{.State.Status}}") == "running");
  const std::string conf_started = started(conf);

  // (a) src/ changes: web restarts, conf does not.
  std::string web_started = started(web);
  write_file(p.dir() / "src/main.c", "int main() { return 1; }\n");
  CHECK(eventually([&] { return started(web) != web_started; }));
  CHECK(started(conf) == conf_started);

  // (b) ignored files (.gitignore'd under src/, a *.conf under .git) act on nothing: the next
  // restarts each count exactly the one real change written after them.
  write_file(p.dir() / "src/debug.log", "noise\n");
  write_file(p.dir() / ".git/noise.conf", "noise\n");
  write_file(p.dir() / "src/util.c", "\n");
  write_file(p.dir() / "etc/app.conf", "a = 1\n");
  CHECK(eventually([&] { return lines_with(watch.out(), "Restarting service").size() == 3; }));
  CHECK(eventually([&] { return started(conf) != conf_started; }));
  // (web and conf act in parallel: their lines may come in either order)
  CHECK(lines_with(watch.out(), "service web") ==
        std::vector<std::string>(2, "Restarting service web after 1 change was detected"));
  CHECK(lines_with(watch.out(), "service conf") ==
        std::vector<std::string>{"Restarting service conf after 1 change was detected"});

  // (c) a burst of 1,000 writes: one restart; a later change makes exactly one more line.
  web_started = started(web);
  for (int i = 0; i < 1000; ++i)
    write_file(p.dir() / ("src/gen/f" + std::to_string(i) + ".c"), "x");
  CHECK(eventually([&] { return started(web) != web_started; }));
  CHECK(eventually([&] { return lines_with(watch.out(), "service web").size() == 3; }));
  write_file(p.dir() / "src/after.c", "\n");
  CHECK(eventually([&] { return lines_with(watch.out(), "service web").size() == 4; }));
  auto web_lines = lines_with(watch.out(), "service web");
  REQUIRE(web_lines.size() == 4);
  // 1,001: the 1,000 files and the folder they are in.
  CHECK(web_lines[2] == "Restarting service web after 1001 changes were detected");
  CHECK(web_lines[3] == "Restarting service web after 1 change was detected");

  // Ctrl-C ends the watch and leaves the stack running.
  CHECK(watch.interrupt() == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  CHECK(inspect(conf, "{{.State.Status}}") == "running");
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod up --watch: sync copies into the container without a restart, rebuild recreates",
          "[podman][watchrun]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("watchrun-sync"));
  p.write("compose.yaml",
          std::string("services:\n  web:\n    image: ") + qpod::it::kImage +
              "\n    init: true\n    stop_grace_period: 1s\n"
              "    command: [\"sleep\", \"600\"]\n"
              "    develop:\n      watch:\n"
              "        - action: sync\n          path: ./html\n"
              "          target: /srv/html\n          ignore: [\"*.tmp\"]\n"
              "          initial_sync: true\n"
              "        - action: sync+exec\n          path: ./conf\n"
              "          target: /etc/web\n          exec:\n"
              "            command: [\"sh\", \"-c\", \"cat app.conf > /tmp/applied; "
              "echo applied $$MODE\"]\n"
              "            working_dir: /etc/web\n"
              "            environment: {MODE: dev}\n"
              "  api:\n    image: " +
              qpod::it::kImage +
              "\n    init: true\n    stop_grace_period: 1s\n"
              "    command: [\"sleep\", \"600\"]\n"
              "    develop:\n      watch:\n"
              "        - action: rebuild\n          path: ./api.conf\n");
  write_file(p.dir() / "html/keep.txt", "keep\n");
  write_file(p.dir() / "html/old.tmp", "ignored\n");
  write_file(p.dir() / "api.conf", "v1\n");
  const std::string web = p.name() + "-web-1", api = p.name() + "-api-1";

  Background watch(p, {"up", "--watch"});
  REQUIRE(watch.enabled());
  INFO("stdout:\n" << watch.out() << "stderr:\n" << watch.err());
  const std::string web_started = started(web);
  auto cat = [&](const std::string& path) {
    auto r = qpod::it::podman({"exec", web, "cat", path});
    return r.ok() ? r.out : "<" + qpod::it::trim(r.err) + ">";
  };

  // initial_sync: what html/ held before the watch is in the container (less the ignored).
  CHECK(cat("/srv/html/keep.txt") == "keep\n");
  CHECK(cat("/srv/html/old.tmp").find("<") == 0);
  CHECK(lines_with(watch.out(), "initial sync") ==
        std::vector<std::string>{"Syncing service web (initial sync of 1 path)"});

  write_file(p.dir() / "html/index.html", "<h1>v2</h1>\n");
  write_file(p.dir() / "html/scratch.tmp", "ignored\n");
  CHECK(eventually([&] { return cat("/srv/html/index.html") == "<h1>v2</h1>\n"; }));
  CHECK(lines_with(watch.out(), "Syncing service web after") ==
        std::vector<std::string>{"Syncing service web after 1 change was detected"});

  // A deleted file goes from the container too.
  fs::remove(p.dir() / "html/index.html");
  CHECK(eventually([&] {
    return !qpod::it::podman({"exec", web, "test", "-e", "/srv/html/index.html"}).ok();
  }));
  CHECK(cat("/srv/html/scratch.tmp").find("<") == 0);  // ignored: never copied
  CHECK(started(web) == web_started);                  // synced, never restarted
  CHECK(lines_with(watch.out(), "Restarting").empty());

  // sync+exec: the file is copied, then the command runs in the container, its output shown.
  write_file(p.dir() / "conf/app.conf", "level = 2\n");
  CHECK(eventually([&] { return cat("/tmp/applied") == "level = 2\n"; }));
  CHECK(eventually([&] { return lines_with(watch.out(), "web  | applied dev").size() == 1; }));
  // (2 changes: conf/ is new, and the file in it)
  CHECK(lines_with(watch.out(), "Running exec for service web") ==
        std::vector<std::string>{"Running exec for service web after 2 changes were detected"});
  CHECK(started(web) == web_started);

  // rebuild: api alone is recreated (a new container), web is left alone.
  const std::string api_id = inspect(api, "{{.Id}}");
  REQUIRE(!api_id.empty());
  write_file(p.dir() / "api.conf", "v2\n");
  CHECK(eventually([&] {
    auto id = inspect(api, "{{.Id}}");
    return !id.empty() && id != api_id && inspect(api, "{{.State.Status}}") == "running";
  }));
  CHECK(lines_with(watch.out(), "Rebuilding") ==
        std::vector<std::string>{"Rebuilding service api after 1 change was detected"});
  CHECK(started(web) == web_started);

  CHECK(watch.interrupt() == 0);
  CHECK(inspect(web, "{{.State.Status}}") == "running");
  CHECK(inspect(api, "{{.State.Status}}") == "running");
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod watch: a QPOD service whose image is built from the repository is rebuilt",
          "[podman][watchrun][build]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("watchrun-rebuild"));
  REQUIRE(git(p.dir(), {"init", "-q"}) == 0);
  auto containerfile = [&](const std::string& version) {
    write_file(p.dir() / "img/Containerfile",
               std::string("FROM ") + qpod::it::kImage + "\nRUN echo " + version + " > /version\n");
  };
  containerfile("v1");
  write_file(p.dir() / ".qpod/template.json", R"({"name": "rebuild", "build": {"context": "img"},
  "services": {"web": {"init": true, "stop_grace_period": "1s", "command": ["sleep", "600"],
                       "watch": ["img/"]}}})");
  const std::string web = p.name() + "-web-1";
  auto version = [&] {
    auto r = qpod::it::podman({"exec", web, "cat", "/version"});
    return r.ok() ? qpod::it::trim(r.out) : "<" + qpod::it::trim(r.err) + ">";
  };

  Background watch(p, {"watch"});
  REQUIRE(watch.enabled());
  INFO("stdout:\n" << watch.out() << "stderr:\n" << watch.err());
  CHECK(version() == "v1");
  const std::string first_image = inspect(web, "{{.Image}}");
  REQUIRE(!first_image.empty());
  containerfile("v2");
  CHECK(eventually([&] { return version() == "v2"; }));
  CHECK(lines_with(watch.out(), "Rebuilding service web").size() == 1);
  CHECK(lines_with(watch.out(), "Restarting").empty());
  // --prune (the default): the image the rebuild replaced is gone.
  CHECK(eventually([&] { return !qpod::it::podman({"image", "exists", first_image}).ok(); }));

  CHECK(watch.interrupt() == 0);
  CHECK(p.qpod({"down", "-t", "1", "--rmi", "local"}).exit_code == 0);
  CHECK(p.leftovers() == "");
  if (!first_image.empty()) qpod::it::podman({"rmi", "-f", first_image});
}

TEST_CASE("qpod watch watches a manual service that service start ran, and leaves others off",
          "[podman][watchrun]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("watchrun-manual"));
  REQUIRE(git(p.dir(), {"init", "-q"}) == 0);
  const std::string service =
      std::string(R"("image": ")") + qpod::it::kImage +
      R"(", "init": true, "stop_grace_period": "1s", "command": ["sleep", "600"])";
  fs::create_directories(p.dir() / ".qpod");
  p.write(".qpod/template.json", std::string(R"({"name": "watchmanual", "image": ")") +
                                     qpod::it::kImage + R"(", "services": {
    "web": {)" + service + R"(},
    "tool": {)" + service + R"(, "start": "manual", "watch": ["src/"]},
    "idle": {)" + service + R"(, "start": "manual", "watch": ["src/"]}}})");
  write_file(p.dir() / "src/main.c", "int main() {}\n");
  const std::string tool = p.name() + "-tool-1", idle = p.name() + "-idle-1";

  REQUIRE(p.qpod({"service", "start", "tool"}).exit_code == 0);
  Background watch(p, {"watch"});  // refused before: no service `up` starts has watches
  REQUIRE(watch.enabled());
  INFO("stdout:\n" << watch.out() << "stderr:\n" << watch.err());
  const std::string tool_started = started(tool);
  write_file(p.dir() / "src/main.c", "int main() { return 1; }\n");
  CHECK(eventually([&] { return started(tool) != tool_started; }));
  CHECK(eventually([&] { return lines_with(watch.out(), "Restarting service").size() == 1; }));
  CHECK(lines_with(watch.out(), "Restarting service") ==
        std::vector<std::string>{"Restarting service tool after 1 change was detected"});
  CHECK(inspect(idle, "{{.State.Status}}") == "");  // not running: left off
  CHECK(watch.interrupt() == 0);
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("qpod watch beside exec-env: a watched file the command changes restarts it once",
          "[podman][watch]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s7-watch-env"));
  qpod_repository(p);
  auto exec_env = [&](const std::string& script) {
    return qpod::podman::run_process(
        "/usr/bin/env",
        {"QPOD_CONTAINER=1", QPOD_BINARY, "-p", p.name(), "exec-env", "--", "sh", "-c", script},
        p.dir().string());
  };
  REQUIRE(exec_env("true").exit_code == 0);  // web and conf up
  const std::string web = p.name() + "-web-1";
  Background watch(p, {"watch", "--no-up"});
  REQUIRE(watch.enabled());
  const std::string web0 = started(web);
  REQUIRE_FALSE(web0.empty());

  // The command edits a file web watches: exec-env leaves web to the watch, which restarts it.
  auto edit = exec_env("echo '// edited' >> src/main.c");
  INFO(edit.err << watch.out() << watch.err());
  CHECK(edit.exit_code == 0);
  CHECK(edit.err.find("Leaving service web to the running qpod watch") != std::string::npos);
  CHECK(edit.err.find("Restarting") == std::string::npos);
  CHECK(eventually([&] { return !lines_with(watch.out(), "Restarting service web").empty(); }));
  CHECK(eventually([&] { return started(web) != web0; }));
  CHECK(watch.interrupt() == 0);
  CHECK(lines_with(watch.out(), "Restarting service web").size() == 1);

  // No watch any more: exec-env restarts web itself.
  const std::string web1 = started(web);
  auto alone = exec_env("echo '// again' >> src/main.c");
  INFO(alone.err);
  CHECK(alone.err.find("Restarting service web after 1 change was detected") != std::string::npos);
  CHECK(started(web) != web1);
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}
