#include "compose/normalize.h"

#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize is idempotent") {
  const char* yaml = R"(version: "3"
services:
  web:
    build: .
    command: run --fast
    ports: ["8080:80", "9000-9001:9000-9001/udp", 22]
    volumes: [./a:/a:ro, data:/d, /anon]
    environment: [A=1, FROM_ENV]
    depends_on: [db]
    healthcheck: {test: "true", interval: 90s}
    extra_hosts: {h: 1.2.3.4}
    ulimits: {nofile: 1024}
    labels: [x=y]
    secrets: [s]
    stop_grace_period: 1m
    x-ext: {b: 1, a: 2}
  db:
    image: db
    networks: [back]
networks:
  back:
volumes:
  data:
secrets:
  s: {file: s.txt}
x-top: [1, 2]
)";
  auto once = run(yaml);
  REQUIRE(once.errors.empty());
  Node twice = once.root;
  CHECK(format(normalize(twice, context())).empty());
  CHECK(to_yaml(twice) == to_yaml(once.root));
  CHECK(twice == once.root);
  // And through text, as `config` output loaded again.
  auto reloaded = run(to_yaml(once.root));
  CHECK(reloaded.errors.empty());
  CHECK(to_yaml(reloaded.root) == to_yaml(once.root));
}

TEST_CASE("normalize leaves relative paths alone without resolve_paths") {
  NormalizeContext ctx = context();
  ctx.resolve_paths = false;
  auto r = run(R"(services:
  web:
    build: ./app
    volumes: [./a:/a, ~/h:/h]
)",
               ctx);
  CHECK(r.yaml("build") == "context: ./app\ndockerfile: Dockerfile\n");
  CHECK(r.yaml("volumes") == R"(- type: bind
  source: ./a
  target: /a
  bind:
    create_host_path: true
- type: bind
  source: /home/u/h
  target: /h
  bind:
    create_host_path: true
)");
}

TEST_CASE("resolve_service_paths makes only relative paths absolute") {
  auto parsed = parse_yaml(R"(build: ./app
volumes:
  - ./data:/data:ro
  - ../up:/up
  - /abs:/abs
  - ~/home:/home
  - named:/named
  - /anon
  - type: bind
    source: conf
    target: /conf
  - type: volume
    source: vol
    target: /vol
env_file: [.env, {path: ./b.env, required: false}, /abs.env]
image: keep/me
)",
                           "c.yaml");
  REQUIRE(parsed.ok());
  Node service = *parsed;
  resolve_service_paths(service, "/other/dir");
  CHECK(to_yaml(service) == R"(build: /other/dir/app
volumes:
  - "/other/dir/data:/data:ro"
  - "/other/up:/up"
  - "/abs:/abs"
  - "~/home:/home"
  - "named:/named"
  - /anon
  - type: bind
    source: /other/dir/conf
    target: /conf
  - type: volume
    source: vol
    target: /vol
env_file:
  - /other/dir/.env
  - path: /other/dir/b.env
    required: false
  - /abs.env
image: keep/me
)");
  auto long_build = parse_yaml("build: {context: ctx, dockerfile: D}\n", "c.yaml");
  REQUIRE(long_build.ok());
  resolve_service_paths(*long_build, "/o");
  CHECK(to_yaml(*long_build) == "build:\n  context: /o/ctx\n  dockerfile: D\n");
  auto no_context = parse_yaml("build: {dockerfile: D}\n", "c.yaml");
  REQUIRE(no_context.ok());
  resolve_service_paths(*no_context, "/o");
  CHECK(to_yaml(*no_context) == "build:\n  dockerfile: D\n  context: /o\n");
}

TEST_CASE("normalize reports every error at once") {
  auto r = run(R"(services:
  a:
    ports: ["x"]
    restart: never
  b:
    shm_size: big
    healthcheck: {interval: soon}
)");
  CHECK(r.errors ==
        "c.yaml:3:13: services.a.ports[0]: invalid port \"x\": expected "
        "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]\n"
        "c.yaml:4:14: services.a.restart: invalid restart policy \"never\": expected \"no\", "
        "\"always\", \"on-failure[:MAX_RETRIES]\" or \"unless-stopped\"\n"
        "c.yaml:6:15: services.b.shm_size: invalid byte size \"big\": expected a number and an "
        "optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"\n"
        "c.yaml:7:29: services.b.healthcheck.interval: invalid duration \"soon\": expected a "
        "number and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"");
}
