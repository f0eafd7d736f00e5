// Normalize, by Compose key: services.*.networks.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize makes service networks a mapping") {
  auto r = run(R"(services:
  web:
    networks: [front, back]
  api:
    networks:
      back: {aliases: [b], ipv4_address: 10.0.0.2}
      front:
  host:
    network_mode: host
networks:
  front:
  back: {name: custom}
)");
  CHECK(r.yaml("networks") == "back: null\nfront: null\n");
  const Node& services = *r.root.find("services");
  CHECK(to_yaml(*services.find("api")->find("networks")) ==
        "back:\n  aliases:\n    - b\n  ipv4_address: 10.0.0.2\nfront: null\n");
  CHECK(services.find("host")->find("networks") == nullptr);
  CHECK(to_yaml(*r.root.find("networks")) == "back:\n  name: custom\nfront:\n  name: demo_front\n");
}
