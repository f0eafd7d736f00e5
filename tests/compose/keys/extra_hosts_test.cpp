// Normalize, by Compose key: services.*.extra_hosts.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize makes extra_hosts a list of host:ip") {
  auto list = run(R"(services:
  web:
    extra_hosts: ["a=1.2.3.4", "b:5.6.7.8", "v6=[::1]", "v6b:::2"]
)");
  CHECK(list.yaml("extra_hosts") ==
        "- \"a:1.2.3.4\"\n- \"b:5.6.7.8\"\n- \"v6:::1\"\n- \"v6b:::2\"\n");
  auto map = run(R"(services:
  web:
    extra_hosts: {a: 1.2.3.4, m: ["::1", 10.0.0.1]}
)");
  CHECK(map.yaml("extra_hosts") == "- \"a:1.2.3.4\"\n- \"m:::1\"\n- \"m:10.0.0.1\"\n");
  auto bad = run("services:\n  web:\n    extra_hosts: [nohost]\n");
  CHECK(bad.errors ==
        "c.yaml:3:19: services.web.extra_hosts[0]: invalid extra host \"nohost\": expected "
        "HOST=IP or HOST:IP");
}
