// Normalize, by Compose key: services.*.ulimits.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize expands ulimits and reports bad ones") {
  auto r = run(R"(services:
  web:
    ulimits:
      nproc: 65535
      nofile: {soft: "20000", hard: 40000}
)");
  CHECK(r.yaml("ulimits") ==
        "nofile:\n  hard: 40000\n  soft: 20000\nnproc:\n  hard: 65535\n  soft: 65535\n");
  auto bad = run(R"(services:
  web:
    ulimits:
      nproc: lots
      nofile: {soft: 20, hard: 10}
      core: {soft: x, hard: 1}
)");
  CHECK(bad.errors ==
        "c.yaml:4:14: services.web.ulimits.nproc: invalid ulimit \"lots\": expected an integer "
        "or a mapping with soft and hard\n"
        "c.yaml:5:15: services.web.ulimits.nofile: soft limit 20 is greater than hard limit 10\n"
        "c.yaml:6:20: services.web.ulimits.core.soft: invalid ulimit \"x\": expected an integer");
}
