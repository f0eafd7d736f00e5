// Normalize, by Compose key: The top level: its order, version, and the names of networks, volumes,
// secrets and configs.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize orders the top level, drops version, names resources") {
  auto r = run(R"(version: "3.8"
x-b: {z: 1, a: 2}
volumes:
  data:
x-a: 1
services:
  web:
    image: nginx
  api:
    x-tag: {b: 1, a: 2}
    image: api
    environment: {B: 1, A: 2}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml() == R"(name: demo
services:
  api:
    environment:
      A: "2"
      B: "1"
    image: api
    networks:
      default: null
    x-tag:
      b: 1
      a: 2
  web:
    image: nginx
    networks:
      default: null
networks:
  default:
    name: demo_default
volumes:
  data:
    name: demo_data
x-a: 1
x-b:
  z: 1
  a: 2
)");
}

TEST_CASE("normalize names top-level resources, external ones keep their name") {
  auto r = run(R"(services: {}
networks:
  ext: {external: true}
  old: {external: {name: legacy}}
  given: {name: mine}
volumes:
  v:
  ev: {external: "true"}
secrets:
  s: {file: ./s.txt}
  e: {external: true, name: outside}
configs:
  c: {file: ~/c.conf, labels: [a=b]}
  inline: {content: hi}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml() == R"(name: demo
services: {}
networks:
  ext:
    external: true
    name: ext
  given:
    name: mine
  old:
    external: true
    name: legacy
volumes:
  ev:
    external: true
    name: ev
  v:
    name: demo_v
secrets:
  e:
    external: true
    name: outside
  s:
    file: /proj/s.txt
    name: demo_s
configs:
  c:
    file: /home/u/c.conf
    labels:
      a: b
    name: demo_c
  inline:
    content: hi
    name: demo_inline
)");
}

TEST_CASE("normalize without a project name leaves resource names to the including project") {
  NormalizeContext ctx = context();
  ctx.project_name.clear();
  auto r = run("services:\n  web:\n    image: a\nvolumes:\n  v:\n", ctx);
  CHECK(r.yaml() == R"(services:
  web:
    image: a
    networks:
      default: null
networks:
  default: {}
volumes:
  v: {}
)");
}
