// Normalize, by Compose key: services.*.labels, annotations, sysctls and build.args: mappings of
// strings.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize makes labels, annotations, sysctls and build args mappings of strings") {
  auto r = run(R"(services:
  web:
    labels: [b=2, a=1, flag]
    annotations: {x: 1}
    sysctls: [net.core.somaxconn=1024]
    build:
      context: .
      args: [V=1, FROM_ENV, NONE]
      labels: {l: true}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("labels") == "a: \"1\"\nb: \"2\"\nflag: \"\"\n");
  CHECK(r.yaml("annotations") == "x: \"1\"\n");
  CHECK(r.yaml("sysctls") == "net.core.somaxconn: \"1024\"\n");
  CHECK(r.yaml("build") == R"(args:
  FROM_ENV: x
  NONE: null
  V: "1"
context: /proj
dockerfile: Dockerfile
labels:
  l: "true"
)");
}
