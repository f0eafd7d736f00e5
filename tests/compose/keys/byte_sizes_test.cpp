// Normalize, by Compose key: Byte sizes: shm_size, mem_limit, mem_reservation, memswap_limit.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize converts byte sizes, numbers stay numbers") {
  auto r = run(R"(services:
  web:
    shm_size: 64m
    mem_limit: 1gb
    mem_reservation: 512
    memswap_limit: -1
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("shm_size") == "67108864\n");
  CHECK(r.yaml("mem_limit") == "1073741824\n");
  CHECK(r.yaml("mem_reservation") == "512\n");
  CHECK(r.yaml("memswap_limit") == "-1\n");
  auto bad = run("services:\n  web:\n    mem_limit: 12q\n");
  CHECK(bad.errors ==
        "c.yaml:3:16: services.web.mem_limit: invalid byte size \"12q\": expected a number and "
        "an optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"");
}
