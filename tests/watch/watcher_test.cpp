#include "watch/watcher.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/temp_dir.h"

using namespace qpod::watch;
using namespace std::chrono_literals;
using qpod::testing::TempDir;

namespace {

// Tests debounce for 50 ms; they wait for an expected event up to a generous deadline (the
// machine may be loaded) and assert "nothing" only over a bounded window.
constexpr auto kDeadline = 15s;
constexpr auto kQuietWindow = 300ms;

WatchOptions fast() {
  WatchOptions o;
  o.debounce = {50ms, 2000ms};
  return o;
}

Watcher make(const TempDir& d, WatchOptions o = fast()) {
  auto w = Watcher::create({d.path()}, std::move(o));
  REQUIRE(w.ok());
  return std::move(w).value();
}

// Polls until `done(all fired so far)` or the deadline.
template <class Done>
std::vector<Fired> wait_for(Watcher& w, Done done) {
  std::vector<Fired> all;
  const auto end = Clock::now() + kDeadline;
  while (!done(all) && Clock::now() < end)
    for (auto& f : w.poll(100ms)) all.push_back(std::move(f));
  return all;
}

std::vector<Fired> wait_fires(Watcher& w, std::size_t n) {
  return wait_for(w, [n](const std::vector<Fired>& all) { return all.size() >= n; });
}

// Everything fired within the quiet window (normally nothing).
std::vector<Fired> quiet(Watcher& w) {
  std::vector<Fired> all;
  const auto end = Clock::now() + kQuietWindow;
  while (Clock::now() < end)
    for (auto& f : w.poll(std::chrono::ceil<std::chrono::milliseconds>(end - Clock::now())))
      all.push_back(std::move(f));
  return all;
}

bool has_path(const std::vector<Fired>& fired, const std::string& path) {
  return std::any_of(fired.begin(), fired.end(), [&](const Fired& f) {
    return std::find(f.paths.begin(), f.paths.end(), path) != f.paths.end();
  });
}

void append(const std::string& path, const std::string& text = "x") {
  std::ofstream(path, std::ios::app) << text;
}

}  // namespace

TEST_CASE("watcher: a write to a watched file fires its subscription once, with the path") {
  TempDir d;
  const auto main_c = d.write("src/main.c");
  d.write("README");
  Watcher w = make(d);
  w.subscribe({"web", {path_matcher(d / "src")}});
  append(d / "README");  // not subscribed
  append(main_c);
  append(main_c);
  const auto fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].id == "web");
  CHECK(fired[0].paths == std::vector<std::string>{main_c});
  CHECK_FALSE(fired[0].overflow);
  CHECK(quiet(w).empty());
}

TEST_CASE("watcher: .gitignored files and .git fire nothing") {
  TempDir d;
  d.write(".gitignore", "*.log\nbuild/\n");
  d.write(".git/HEAD", "ref: refs/heads/main\n");
  d.write("build/out.o");
  Watcher w = make(d);
  w.subscribe({"all", {path_matcher(d.str())}});
  CHECK(w.watched_directories() == 1);  // neither .git nor build/
  append(d / "app.log");
  append(d / ".git/HEAD");
  d.write(".git/objects/ab/cdef");
  append(d / "build/out.o");
  d.write("build/new/x.o");
  CHECK(quiet(w).empty());
  // A kept file after them: only it is reported.
  const auto kept = d.write("main.c");
  const auto fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths == std::vector<std::string>{kept});
}

TEST_CASE("watcher: a path a watch names is watched even where .gitignore ignores it") {
  TempDir d;
  d.write(".gitignore", "/build/\n");
  d.write("build/old.o");
  WatchOptions o = fast();
  o.named = {d / "build/plugin.so"};
  Watcher w = make(d, o);
  w.subscribe({"all", {path_matcher(d.str())}});
  append(d / "build/old.o");  // the rest of build/ is still ignored
  CHECK(quiet(w).empty());
  const auto plugin = d.write("build/plugin.so");
  const auto fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths == std::vector<std::string>{plugin});
}

TEST_CASE("watcher: directories created after the start are watched, with their contents") {
  TempDir d;
  Watcher w = make(d);
  w.subscribe({"web", {path_matcher(d.str())}});
  // Written at once: the file may exist before the new folders' watches do; the scan of a new
  // folder reports it then.
  const auto early = d.write("new/deep/early.c");
  auto fired = wait_for(w, [&](const auto& all) { return has_path(all, early); });
  CHECK(has_path(fired, early));
  CHECK(w.watched_directories() == 3);
  quiet(w);
  const auto later = d.write("new/deep/later.c");
  fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths == std::vector<std::string>{later});
}

TEST_CASE("watcher: 1,000 writes across 100 files fire one callback per subscription") {
  TempDir d;
  std::vector<std::string> files;
  for (int i = 0; i < 100; ++i)
    files.push_back(d.write((i % 2 ? "a/" : "b/") + std::to_string(i / 2 % 5) + "/f" +
                            std::to_string(i) + ".c"));
  d.mkdir("c");
  Watcher w = make(d);
  w.subscribe({"a", {path_matcher(d / "a")}});
  w.subscribe({"b", {path_matcher(d / "b")}});
  w.subscribe({"c", {path_matcher(d / "c")}});
  for (int round = 0; round < 10; ++round)
    for (const auto& f : files) append(f);
  auto fired = wait_fires(w, 2);
  for (auto& f : quiet(w)) fired.push_back(std::move(f));
  REQUIRE(fired.size() == 2);
  CHECK(fired[0].id == "a");
  CHECK(fired[0].paths.size() == 50);
  CHECK(fired[1].id == "b");
  CHECK(fired[1].paths.size() == 50);
}

TEST_CASE("watcher: run() in a thread, a concurrent burst with the default debounce") {
  TempDir d;
  std::vector<std::string> files;
  for (int i = 0; i < 100; ++i) files.push_back(d.write("src/f" + std::to_string(i) + ".c"));
  WatchOptions o;  // 300 ms quiet, 2 s max wait
  Watcher w = make(d, o);
  w.subscribe({"web", {path_matcher(d / "src")}});
  std::mutex mu;
  std::vector<Fired> fired;
  std::jthread runner([&](std::stop_token stop) {
    w.run(
        [&](const Fired& f) {
          std::lock_guard lock(mu);
          fired.push_back(f);
        },
        stop);
  });
  for (int round = 0; round < 10; ++round)
    for (const auto& f : files) append(f);
  const auto end = Clock::now() + kDeadline;
  auto count = [&] {
    std::lock_guard lock(mu);
    return fired.size();
  };
  while (count() == 0 && Clock::now() < end) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(kQuietWindow);
  runner.request_stop();
  runner.join();  // returns promptly: the stop wakes poll()
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths.size() == 100);
}

TEST_CASE("watcher: two subscriptions with different paths fire independently") {
  TempDir d;
  const auto a = d.write("svc-a/main.py");
  const auto b = d.write("svc-b/main.go");
  Watcher w = make(d);
  w.subscribe({"a", {path_matcher(d / "svc-a")}});
  w.subscribe({"b", {path_matcher(d / "svc-b")}});
  append(a);
  auto fired = wait_fires(w, 1);
  for (auto& f : quiet(w)) fired.push_back(std::move(f));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0] == Fired{"a", {a}, false});
  append(b);
  fired = wait_fires(w, 1);
  for (auto& f : quiet(w)) fired.push_back(std::move(f));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0] == Fired{"b", {b}, false});
}

TEST_CASE("watcher: QPOD globs and directories select the changes") {
  TempDir d;
  d.mkdir("plugins");
  d.mkdir("build");
  d.mkdir("config");
  Watcher w = make(d);
  w.subscribe(
      {"app",
       {qpod_entry_matcher(d.str(), "plugins/*.so"),
        qpod_entry_matcher(d.str(), "build/**/libfoo.so"), qpod_entry_matcher(d.str(), "config")}});
  d.write("plugins/readme.txt");
  d.write("build/x/libbar.so");
  CHECK(quiet(w).empty());
  const auto so = d.write("plugins/a.so");
  const auto lib = d.write("build/x/y/libfoo.so");
  const auto conf = d.write("config/sub/app.toml");
  auto fired = wait_for(w, [&](const auto& all) {
    return has_path(all, so) && has_path(all, lib) && has_path(all, conf);
  });
  CHECK(has_path(fired, so));
  CHECK(has_path(fired, lib));
  CHECK(has_path(fired, conf));
  CHECK_FALSE(has_path(fired, d / "plugins/readme.txt"));
  CHECK_FALSE(has_path(fired, d / "build/x/libbar.so"));
}

TEST_CASE("watcher: develop.watch ignore is relative to the rule's path") {
  TempDir d;
  d.mkdir("web/node_modules/x");
  Watcher w = make(d);
  qpod::compose::WatchRule rule{"sync", d / "web", "/app", {"node_modules/", "*.tmp"}};
  w.subscribe({"web", {develop_matcher(rule)}});
  d.write("web/node_modules/x/index.js");
  d.write("web/a.tmp");
  CHECK(quiet(w).empty());
  const auto kept = d.write("web/sub/b.tmp");  // .dockerignore patterns are anchored
  const auto fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths == std::vector<std::string>{d / "web/sub", kept});
}

TEST_CASE("watcher: a stream of changes that never pauses fires every max_wait") {
  TempDir d;
  const auto log = d.write("out/log");
  WatchOptions o;
  o.debounce = {150ms, 300ms};
  Watcher w = make(d, o);
  w.subscribe({"tail", {path_matcher(d.str())}});
  std::atomic<bool> writing = true;
  std::jthread writer([&] {
    for (auto end = Clock::now() + 1000ms; Clock::now() < end;) {
      append(log);
      std::this_thread::sleep_for(10ms);
    }
    writing = false;
  });
  int fired_while_writing = 0;
  while (writing)
    for (const auto& f : w.poll(50ms)) {
      CHECK(f.paths == std::vector<std::string>{log});
      if (writing) ++fired_while_writing;
    }
  // Without the cap nothing would fire before the writes stop (they are 10 ms apart).
  CHECK(fired_while_writing >= 2);
}

TEST_CASE("watcher: a queue overflow fires every subscription once and rescans") {
  int max_queued = 16384;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> max_queued;
  TempDir d;
  const auto a = d.write("a/1");
  const auto b = d.write("b/2");
  Watcher w = make(d);
  w.subscribe({"a", {path_matcher(d / "a")}});
  w.subscribe({"b", {path_matcher(d / "b")}});
  w.subscribe({"untouched", {path_matcher(d / "c")}});
  // Alternating files so that the kernel cannot merge consecutive events.
  for (int i = 0; i < max_queued / 2 + 100; ++i) append(i % 2 ? a : b);
  auto fired = wait_fires(w, 3);
  for (auto& f : quiet(w)) fired.push_back(std::move(f));
  REQUIRE(fired.size() == 3);
  for (const auto& f : fired) CHECK(f.overflow);
  CHECK(w.take_warnings().size() == 1);
  // Still watching afterwards.
  append(a);
  fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0] == Fired{"a", {a}, false});
}

TEST_CASE("watcher: create rejects a root that is not a directory") {
  TempDir d;
  const auto file = d.write("file");
  auto w = Watcher::create({file, d / "missing"});
  REQUIRE_FALSE(w.ok());
  CHECK(w.errors().size() == 2);
}

TEST_CASE("watcher: a renamed directory reports its new paths") {
  TempDir d;
  d.write("old/sub/x.c");
  Watcher w = make(d);
  w.subscribe({"all", {path_matcher(d.str())}});
  std::filesystem::rename(d / "old", d / "new");
  auto fired = wait_for(w, [&](const auto& all) { return has_path(all, d / "new/sub/x.c"); });
  CHECK(has_path(fired, d / "old"));
  quiet(w);
  append(d / "new/sub/x.c");
  fired = wait_fires(w, 1);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].paths == std::vector<std::string>{d / "new/sub/x.c"});
}
