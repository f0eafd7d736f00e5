// Normalize, by Compose key: services.*.deploy, post_start hooks, develop.watch and label_file.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize formats deploy durations, hook commands and watch paths") {
  auto r = run(R"(services:
  web:
    deploy:
      labels: [a=b]
      restart_policy: {delay: 90s, window: 120s, max_attempts: 3}
      update_config: {delay: 1000ms}
      resources: {limits: {memory: 1g}}
    post_start:
      - command: echo started
        environment: [A=1]
        privileged: "false"
    develop:
      watch: [{path: ./src, action: sync, target: /app}]
    label_file: ./labels.env
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("deploy") == R"(labels:
  a: b
resources:
  limits:
    memory: 1g
restart_policy:
  delay: 1m30s
  max_attempts: 3
  window: 2m0s
update_config:
  delay: 1s
)");
  CHECK(
      r.yaml("post_start") ==
      "- command:\n    - echo\n    - started\n  environment:\n    A: \"1\"\n  privileged: false\n");
  CHECK(r.yaml("develop") == "watch:\n  - action: sync\n    path: /proj/src\n    target: /app\n");
  CHECK(r.yaml("label_file") == "- /proj/labels.env\n");
}
