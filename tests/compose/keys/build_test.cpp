// Normalize, by Compose key: services.*.build.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize completes build") {
  auto str = run("services:\n  web:\n    build: ./app\n");
  CHECK(str.yaml("build") == "context: /proj/app\ndockerfile: Dockerfile\n");
  auto git = run(R"(services:
  web:
    build:
      context: https://github.com/me/app.git
      dockerfile_inline: FROM scratch
      shm_size: 2g
      additional_contexts: [res=./res, img=docker-image://alpine]
)");
  CHECK(git.yaml("build") == R"(additional_contexts:
  img: "docker-image://alpine"
  res: /proj/res
context: "https://github.com/me/app.git"
dockerfile_inline: FROM scratch
shm_size: 2147483648
)");
  auto none = run("services:\n  web:\n    build: {dockerfile: web.Dockerfile}\n");
  CHECK(none.yaml("build") == "context: /proj\ndockerfile: web.Dockerfile\n");
}
