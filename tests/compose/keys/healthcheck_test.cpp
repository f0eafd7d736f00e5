// Normalize, by Compose key: services.*.healthcheck, and durations (stop_grace_period).
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize rewrites healthchecks") {
  auto shell = run(R"(services:
  web:
    healthcheck:
      test: curl -f http://localhost || exit 1
      interval: 90s
      timeout: 10000ms
      start_period: 1h
      start_interval: 0.5s
      retries: "3"
      disable: false
)");
  CHECK(shell.errors.empty());
  CHECK(shell.yaml("healthcheck") == R"(test:
  - CMD-SHELL
  - "curl -f http://localhost || exit 1"
timeout: 10s
interval: 1m30s
retries: 3
start_period: 1h0m0s
start_interval: 500ms
)");
  auto none = run("services:\n  web:\n    healthcheck: {test: [NONE], interval: 1s}\n");
  CHECK(none.yaml("healthcheck") == "disable: true\n");
  auto off = run("services:\n  web:\n    healthcheck: {disable: true, test: [CMD, x]}\n");
  CHECK(off.yaml("healthcheck") == "disable: true\n");
  auto list = run("services:\n  web:\n    healthcheck: {test: [CMD, curl, x]}\n");
  CHECK(list.yaml("healthcheck") == "test:\n  - CMD\n  - curl\n  - x\n");
}

TEST_CASE("normalize reports bad durations") {
  auto r = run(R"(services:
  web:
    stop_grace_period: 10
    healthcheck:
      interval: 5x
      retries: many
)");
  CHECK(r.errors ==
        "c.yaml:3:24: services.web.stop_grace_period: invalid duration \"10\": expected a number "
        "and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"\n"
        "c.yaml:5:17: services.web.healthcheck.interval: invalid duration \"5x\": expected a "
        "number and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"\n"
        "c.yaml:6:16: services.web.healthcheck.retries: invalid retries \"many\": expected a "
        "non-negative integer");
}
