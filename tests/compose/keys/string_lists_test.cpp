// Normalize, by Compose key: String-or-list keys: dns, dns_search, cap_add, group_add, profiles,
// devices.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize makes string-or-list keys lists of strings") {
  auto r = run(R"(services:
  web:
    dns: 8.8.8.8
    dns_search: [a.example]
    cap_add: [NET_ADMIN]
    group_add: [mail, 42]
    profiles: [debug]
    devices: ["/dev/a", {source: /dev/b, target: /dev/c, permissions: r}, {source: /dev/d}]
    tty: "true"
)");
  CHECK(r.yaml("dns") == "- 8.8.8.8\n");
  CHECK(r.yaml("dns_search") == "- a.example\n");
  CHECK(r.yaml("cap_add") == "- NET_ADMIN\n");
  CHECK(r.yaml("group_add") == "- mail\n- \"42\"\n");
  CHECK(r.yaml("profiles") == "- debug\n");
  CHECK(r.yaml("devices") == "- /dev/a\n- \"/dev/b:/dev/c:r\"\n- /dev/d\n");
  CHECK(r.yaml("tty") == "true\n");
}
