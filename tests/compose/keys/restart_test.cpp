// Normalize, by Compose key: services.*.restart.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize checks restart policies") {
  for (const char* ok : {"\"no\"", "always", "on-failure", "on-failure:3", "unless-stopped"}) {
    auto r = run(std::string("services:\n  web:\n    restart: ") + ok + "\n");
    CHECK(r.errors.empty());
  }
  auto r = run("services:\n  web:\n    restart: sometimes\n  api:\n    restart: on-failure:x\n");
  CHECK(r.errors ==
        "c.yaml:3:14: services.web.restart: invalid restart policy \"sometimes\": expected "
        "\"no\", \"always\", \"on-failure[:MAX_RETRIES]\" or \"unless-stopped\"\n"
        "c.yaml:5:14: services.api.restart: invalid restart policy \"on-failure:x\": expected "
        "\"no\", \"always\", \"on-failure[:MAX_RETRIES]\" or \"unless-stopped\"");
}
