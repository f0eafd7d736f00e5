// Normalize, by Compose key: services.*.depends_on.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize fills depends_on") {
  auto list = run("services:\n  web:\n    depends_on: [db, cache]\n");
  CHECK(list.yaml("depends_on") == R"(cache:
  condition: service_started
  restart: false
  required: true
db:
  condition: service_started
  restart: false
  required: true
)");
  auto map = run(R"(services:
  web:
    depends_on:
      db: {condition: service_healthy, restart: "true"}
      job: {condition: service_completed_successfully, required: false}
)");
  CHECK(map.yaml("depends_on") == R"(db:
  condition: service_healthy
  restart: true
  required: true
job:
  condition: service_completed_successfully
  restart: false
  required: false
)");
}
