// Normalize, by Compose key: services.*.command and entrypoint as a shell splits them.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize splits string commands as a shell does") {
  auto r = run(R"(services:
  web:
    command: sh -c 'echo "a  b"' "c d" e\ f ''
    entrypoint: ["/bin/sh", "-c"]
  api:
    command: ~
    entrypoint: ""
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("command") == "- sh\n- -c\n- \"echo \\\"a  b\\\"\"\n- c d\n- e f\n- \"\"\n");
  CHECK(r.yaml("entrypoint") == "- /bin/sh\n- -c\n");
  const Node& api = *r.root.find("services")->find("api");
  CHECK(api.find("command")->is_null());
  CHECK(to_yaml(*api.find("entrypoint")) == "[]\n");
}

TEST_CASE("normalize reports commands a shell cannot split") {
  auto r = run(R"(services:
  web:
    command: echo 'a
    entrypoint: "run \"x"
)");
  CHECK(r.errors ==
        "c.yaml:3:14: services.web.command: invalid command \"echo 'a\": unterminated single "
        "quote\n"
        "c.yaml:4:17: services.web.entrypoint: invalid command \"run \"x\": unterminated double "
        "quote");
}
