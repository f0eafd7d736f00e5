#include "engine/watch_queue.h"

#include <catch2/catch.hpp>

using namespace qpod::engine;
using qpod::watch::ActionKind;
using qpod::watch::SyncFile;
using qpod::watch::WatchAction;

namespace {

WatchAction sync(const std::string& service, std::vector<SyncFile> files) {
  return {ActionKind::kSync, service, std::move(files), "sync rule"};
}
WatchAction restart(const std::string& service) {
  return {ActionKind::kRestart, service, {}, "restart rule"};
}
WatchAction rebuild(const std::string& service) {
  return {ActionKind::kRebuild, service, {}, "rebuild rule"};
}

std::vector<std::string> strings(const std::vector<WatchAction>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(to_string(a));
  return out;
}

}  // namespace

TEST_CASE("watch queue: one batch per service at a time, changes meanwhile make one more",
          "[engine][watch]") {
  WatchQueue q;
  q.add("web", {restart("web")}, 1);
  auto first = q.take();
  REQUIRE(first);
  CHECK(first->service == "web");
  CHECK(strings(first->actions()) == std::vector<std::string>{"restart web"});
  CHECK(q.running("web"));

  // A thousand changes while web restarts: none runs now, and they wait as one batch.
  for (int i = 0; i < 1000; ++i) q.add("web", {restart("web")}, 1);
  CHECK_FALSE(q.take());
  CHECK_FALSE(q.idle());
  q.done("web");
  auto second = q.take();
  REQUIRE(second);
  CHECK(strings(second->actions()) == std::vector<std::string>{"restart web"});
  CHECK(second->changes == 1000);
  CHECK_FALSE(q.take());
  q.done("web");
  CHECK(q.idle());
}

TEST_CASE("watch queue: services do not wait for each other", "[engine][watch]") {
  WatchQueue q;
  q.add("web", {restart("web")}, 1);
  q.add("db", {restart("db")}, 2);
  auto a = q.take();
  auto b = q.take();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->service == "db");  // in name order
  CHECK(b->service == "web");
  q.add("db", {restart("db")}, 1);
  CHECK_FALSE(q.take());  // db is still running
  q.done("db");
  CHECK(q.take()->service == "db");
}

TEST_CASE("watch queue: merged batches keep each file's latest change", "[engine][watch]") {
  WatchQueue q;
  q.add("web", {sync("web", {{"/p/a", "/app/a", false}, {"/p/b", "/app/b", false}})}, 2);
  q.add("web", {sync("web", {{"/p/a", "/app/a", true}}), restart("web")}, 1);
  auto b = q.take();
  REQUIRE(b);
  CHECK(b->changes == 3);
  CHECK(strings(b->actions()) ==
        std::vector<std::string>{"sync web: -/p/a->/app/a +/p/b->/app/b", "restart web"});
}

TEST_CASE("watch queue: a rebuild makes the sync and the restart needless", "[engine][watch]") {
  WatchQueue q;
  q.add("web", {sync("web", {{"/p/a", "/app/a", false}})}, 1);
  q.add("web", {rebuild("web")}, 1);
  q.add("web", {restart("web")}, 1);
  auto b = q.take();
  REQUIRE(b);
  CHECK(strings(b->actions()) == std::vector<std::string>{"rebuild web"});
}

TEST_CASE("watch queue: no actions, no batch", "[engine][watch]") {
  WatchQueue q;
  q.add("web", {}, 3);  // e.g. only ignored paths changed
  CHECK_FALSE(q.take());
  CHECK(q.idle());
}

TEST_CASE("watch queue: what the loop prints", "[engine][watch]") {
  WatchBatch b;
  b.service = "web";
  b.changes = 3;
  CHECK(describe(sync("web", {}), b) == "Syncing service web after 3 changes were detected");
  CHECK(describe(restart("web"), b) == "Restarting service web after 3 changes were detected");
  b.changes = 1;
  CHECK(describe(rebuild("web"), b) == "Rebuilding service web after 1 change was detected");
  b.overflow = true;
  CHECK(describe(restart("web"), b) == "Restarting service web after events were lost");
}
