// The pure parts of qpod logs: names, targets, prefixes and colours, timestamps, reattachment;
// and the follower run on a FakeRuntime (one `podman logs` per container, prefixed lines).
#include "engine/logs.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "engine/logs_follow.h"
#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"

using namespace qpod::engine;
namespace podman = qpod::podman;
using namespace qpod::engine::testing;

namespace {

ObservedContainer ctr(std::string name, std::string service, std::string id = "id",
                      std::string state = "running") {
  ObservedContainer c;
  c.name = std::move(name);
  c.service = std::move(service);
  c.id = std::move(id);
  c.state = std::move(state);
  return c;
}

}  // namespace

TEST_CASE("logs: argv of podman logs", "[engine][logs]") {
  CHECK(podman::join_argv(podman::container_logs("demo-web-1", {})) == "logs demo-web-1");
  podman::LogsArgs a;
  a.follow = a.timestamps = true;
  a.tail = "5";
  a.since = "10m";
  a.until = "2024-01-01T00:00:00Z";
  CHECK(podman::join_argv(podman::container_logs("demo-web-1", a)) ==
        "logs --follow --timestamps --tail 5 --since 10m --until 2024-01-01T00:00:00Z demo-web-1");
  a = {};
  a.tail = "all";  // podman's default: no flag
  CHECK(podman::join_argv(podman::container_logs("x", a)) == "logs x");
  CHECK(podman::join_argv(podman::container_kill({"a", "b"})) == "kill --signal SIGKILL a b");
}

TEST_CASE("logs: the name shown is the container's without the project", "[engine][logs]") {
  CHECK(log_name("demo", "demo-web-1") == "web-1");
  CHECK(log_name("demo", "custom") == "custom");
  CHECK(log_name("demo", "demo-") == "demo-");
}

TEST_CASE("logs: targets are the selected services' containers, sorted, no one-offs",
          "[engine][logs]") {
  auto oneoff = ctr("demo-web-run-1", "web");
  oneoff.oneoff = true;
  std::vector<ObservedContainer> cs{ctr("demo-web-1", "web"), ctr("demo-db-1", "db"), oneoff};
  auto all = log_targets(cs, {});
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "demo-db-1");
  CHECK(all[1].name == "demo-web-1");
  auto web = log_targets(cs, {"web"});
  REQUIRE(web.size() == 1);
  CHECK(web[0].name == "demo-web-1");
  CHECK(log_targets(cs, {"nosuch"}).empty());
}

TEST_CASE("logs: prefixes padded to the longest name, a colour per service", "[engine][logs]") {
  LogFormatter plain({"db-1", "web-10"}, true, false);
  CHECK(plain.line("db-1", "ready") == "db-1   | ready");
  CHECK(plain.line("web-10", "GET /") == "web-10 | GET /");

  LogFormatter none({"db-1", "web-10"}, false, true);
  CHECK(none.line("db-1", "ready") == "ready");

  LogFormatter colour({"db-1", "web-1"}, true, true);
  CHECK(colour.line("db-1", "x") == "\x1b[36mdb-1  | \x1b[0mx");
  CHECK(colour.line("web-1", "y") == "\x1b[33mweb-1 | \x1b[0my");
  colour.add("worker-1");  // later: the next colour, a wider prefix
  CHECK(colour.line("worker-1", "z") == "\x1b[32mworker-1 | \x1b[0mz");
  CHECK(colour.line("db-1", "x") == "\x1b[36mdb-1     | \x1b[0mx");
}

TEST_CASE("logs: podman's timestamps split from the text", "[engine][logs]") {
  auto [ts, text] = split_timestamp("2026-11-25T01:36:42.119514563Z hello world");
  CHECK(ts == "2026-11-25T01:36:42.119514563Z");
  CHECK(text == "hello world");
  auto [none, line] = split_timestamp("hello 2026-11-25T01:36:42Z");
  CHECK(none.empty());
  CHECK(line == "hello 2026-11-25T01:36:42Z");
  auto [empty_ts, empty_text] = split_timestamp("2026-11-25T01:36:42.1Z ");
  CHECK(empty_ts == "2026-11-25T01:36:42.1Z");
  CHECK(empty_text.empty());
  CHECK(now_rfc3339().size() == std::string("2026-11-25T01:36:42.119514563Z").size());
  CHECK(!split_timestamp(now_rfc3339() + " x").first.empty());
}

TEST_CASE("logs: a followed container is attached again when it restarts or is recreated",
          "[engine][logs]") {
  auto running = ctr("demo-web-1", "web", "aaa");
  CHECK(reattach(nullptr, running) == Reattach::FromStart);
  FollowState st{"aaa", true, ""};
  CHECK(reattach(&st, running) == Reattach::No);  // still attached
  st.attached = false;
  CHECK(reattach(&st, running) == Reattach::SinceLast);  // ended, runs again: restarted
  CHECK(reattach(&st, ctr("demo-web-1", "web", "aaa", "exited")) == Reattach::No);
  CHECK(reattach(&st, ctr("demo-web-1", "web", "bbb")) == Reattach::FromStart);  // recreated
  CHECK(reattach(&st, ctr("demo-web-1", "web", "bbb", "exited")) == Reattach::FromStart);
}

TEST_CASE("logs: one podman logs per container, lines prefixed, timestamps hidden",
          "[engine][logs]") {
  FakeRuntime rt;
  rt.reply("ps --all", {0, R"([
    {"Id": "w1", "Names": ["demo-web-1"], "State": "running",
     "Labels": {"io.qpod.project": "demo", "io.qpod.service": "web", "io.qpod.config-hash": "h"}},
    {"Id": "d1", "Names": ["demo-db-1"], "State": "exited",
     "Labels": {"io.qpod.project": "demo", "io.qpod.service": "db", "io.qpod.config-hash": "h"}}])",
                        ""});
  rt.reply("logs --timestamps --tail 2 w1",
           {0, "2026-11-25T01:00:00.000000001Z GET /\n2026-11-25T01:00:01.000000001Z bye\n", ""});
  rt.reply("logs --timestamps --tail 2 d1", {0, "2026-11-25T01:00:00.5Z ready\n", ""});
  LogOptions o;
  o.tail = "2";
  std::ostringstream out, err;
  CHECK(show_logs(rt, "demo", o, out, err, nullptr) == 0);
  // Each container's lines in order; the two containers' streams may interleave.
  std::string text = out.str();
  CHECK(text.find("web-1 | GET /\n") != std::string::npos);
  CHECK(text.find("web-1 | GET /\n") < text.find("web-1 | bye\n"));
  CHECK(text.find("db-1  | ready\n") != std::string::npos);
  CHECK(rt.calls_starting("logs").size() == 2);

  std::ostringstream only;
  o.services = {"db"};
  o.prefix = false;
  o.timestamps = true;
  CHECK(show_logs(rt, "demo", o, only, err, nullptr) == 0);
  CHECK(only.str() == "2026-11-25T01:00:00.5Z ready\n");
}

TEST_CASE("logs: a failing podman logs gives exit 1, a failing ps names the command",
          "[engine][logs]") {
  FakeRuntime rt;
  rt.reply("ps --all", {0, R"([{"Id": "w1", "Names": ["demo-web-1"], "State": "running",
     "Labels": {"io.qpod.project": "demo", "io.qpod.service": "web", "io.qpod.config-hash": "h"}}])",
                        ""});
  rt.reply("logs", {125, "", "Error: no such container w1"});
  std::ostringstream out, err;
  CHECK(show_logs(rt, "demo", {}, out, err, nullptr) == 1);
  CHECK(out.str() == "web-1 | Error: no such container w1\n");

  FakeRuntime broken;
  broken.reply("ps", {125, "", "Error: boom"});
  std::ostringstream out2, err2;
  CHECK(show_logs(broken, "demo", {}, out2, err2, nullptr) == 1);
  CHECK(err2.str().find("podman ps --all") != std::string::npos);
  CHECK(err2.str().find("Error: boom") != std::string::npos);
}
