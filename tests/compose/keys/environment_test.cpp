// Normalize, by Compose key: services.*.environment and env_file.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize makes environment a mapping of strings, names resolved from the env") {
  auto list = run(R"(services:
  web:
    environment:
      - A=1
      - B=
      - C=x=y
      - FROM_ENV
      - MISSING
)");
  CHECK(list.yaml("environment") == "A: \"1\"\nB: \"\"\nC: x=y\nFROM_ENV: x\nMISSING: null\n");
  auto map = run(R"(services:
  web:
    environment:
      N: 1.5
      T: true
      FROM_ENV:
      MISSING: ~
)");
  CHECK(map.yaml("environment") == "FROM_ENV: x\nMISSING: null\n\"N\": \"1.5\"\nT: \"true\"\n");
}

TEST_CASE("normalize reads env_file under environment") {
  TempDir dir;
  dir.write("a.env", "A=from_a\nB=from_a\nC=from_a\n");
  dir.write("b.env", "B=from_b\n");
  dir.write("raw.env", "R=\"quoted $X\"\n");
  const std::string yaml = R"(services:
  web:
    env_file:
      - a.env
      - path: ./b.env
      - path: ./missing.env
        required: false
      - path: raw.env
        format: raw
    environment:
      C: mine
)";
  auto r = run(yaml, context(dir.str()));
  CHECK(r.errors.empty());
  CHECK(r.yaml("environment") == "A: from_a\nB: from_b\nC: mine\nR: \"\\\"quoted $X\\\"\"\n");
  CHECK(r.yaml("env_file") ==
        "- path: " + dir.str() + "/a.env\n  required: true\n- path: " + dir.str() +
            "/b.env\n  required: true\n- path: " + dir.str() +
            "/missing.env\n  required: false\n- format: raw\n  path: " + dir.str() +
            "/raw.env\n  required: true\n");
  Node again = r.root;
  CHECK(format(normalize(again, context(dir.str()))).empty());
  CHECK(again == r.root);
}

TEST_CASE("normalize reports a missing required env_file at its position") {
  TempDir dir;
  auto r = run(R"(services:
  web:
    env_file: nope.env
  api:
    env_file:
      - ok.env
      - path: gone.env
)",
               context(dir.str()));
  dir.write("ok.env", "A=1\n");
  auto again = run(R"(services:
  api:
    env_file:
      - ok.env
      - path: gone.env
)",
                   context(dir.str()));
  CHECK(r.errors == "c.yaml:3:15: services.web.env_file: env file \"" + dir.str() +
                        "/nope.env\" not found (set `required: false` to make it "
                        "optional)\nc.yaml:6:9: services.api.env_file[0]: env file \"" +
                        dir.str() +
                        "/ok.env\" not found (set `required: false` to make it "
                        "optional)\nc.yaml:7:9: services.api.env_file[1]: " +
                        "env file \"" + dir.str() +
                        "/gone.env\" not found (set `required: false` to make it optional)");
  CHECK(again.errors == "c.yaml:5:9: services.api.env_file[1]: env file \"" + dir.str() +
                            "/gone.env\" not found (set `required: false` to make it optional)");
}
