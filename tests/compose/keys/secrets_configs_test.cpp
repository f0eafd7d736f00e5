// Normalize, by Compose key: services.*.secrets and configs.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize converts service secrets and configs to mappings") {
  auto r = run(R"(services:
  web:
    secrets: [a, {source: b, target: /b, uid: 100, mode: 0440}]
    configs: [c]
)");
  CHECK(r.yaml("secrets") ==
        "- source: a\n- mode: 0440\n  source: b\n  target: /b\n  uid: \"100\"\n");
  CHECK(r.yaml("configs") == "- source: c\n");
}
