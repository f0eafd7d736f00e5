#include "watch/debounce.h"

#include <catch2/catch.hpp>

using namespace qpod::watch;
using namespace std::chrono_literals;

TEST_CASE("debounce: fires once after the quiet period, with every path") {
  Debouncer d({100ms, 1000ms});
  const auto t0 = Clock::time_point{} + 1h;
  CHECK_FALSE(d.next_deadline());
  d.add("web", "/p/a", t0);
  d.add("web", "/p/b", t0 + 50ms);
  d.add("web", "/p/a", t0 + 90ms);
  CHECK(d.next_deadline() == t0 + 190ms);
  CHECK(d.take_due(t0 + 189ms).empty());
  const auto fired = d.take_due(t0 + 190ms);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0] == Fired{"web", {"/p/a", "/p/b"}, false});
  CHECK(d.take_due(t0 + 10s).empty());
  CHECK_FALSE(d.pending());
}

TEST_CASE("debounce: a change stream that never pauses still fires every max_wait") {
  Debouncer d({100ms, 500ms});
  const auto t0 = Clock::time_point{} + 1h;
  int fires = 0;
  std::vector<Clock::duration> at;
  for (auto t = 0ms; t <= 2000ms; t += 20ms) {  // a change every 20 ms, quiet never reached
    d.add("web", "/p/log", t0 + t);
    for (const auto& f : d.take_due(t0 + t)) {
      ++fires;
      at.push_back(t);
      CHECK(f.paths == std::vector<std::string>{"/p/log"});
    }
  }
  // At 500 ms (first change at 0), then 500 ms after the next first change: 1020, 1540.
  CHECK(fires == 3);
  REQUIRE(at.size() == 3);
  CHECK(at[0] == 500ms);
  CHECK(at[1] == 1020ms);
  CHECK(at[2] == 1540ms);
}

TEST_CASE("debounce: subscriptions are independent, overflow marks one without paths") {
  Debouncer d({100ms, 1000ms});
  const auto t0 = Clock::time_point{} + 1h;
  d.add("a", "/p/1", t0);
  d.add("b", "/p/2", t0 + 80ms);
  d.add_overflow("c", t0 + 10ms);
  auto first = d.take_due(t0 + 110ms);
  REQUIRE(first.size() == 2);
  CHECK(first[0] == Fired{"a", {"/p/1"}, false});
  CHECK(first[1] == Fired{"c", {}, true});
  CHECK(d.next_deadline() == t0 + 180ms);
  auto second = d.take_due(t0 + 180ms);
  REQUIRE(second.size() == 1);
  CHECK(second[0].id == "b");
}
