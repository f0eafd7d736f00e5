#include "compose/schema.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

// All diagnostics of one document, one per line ("" = valid).
std::string check(std::string_view yaml, Schema which = Schema::kQpodDialect) {
  auto parsed = parse_yaml(yaml, "c.yaml");
  REQUIRE(parsed.ok());
  return format(validate_schema(*parsed, which));
}

}  // namespace

// ---- invalid documents ----------------------------------------------------------------------

TEST_CASE("schema: an unknown key in a service points at the key") {
  CHECK(check(R"(services:
  web:
    image: nginx
    imagee: nginx
)") == "c.yaml:4:5: services.web: additional property \"imagee\" is not allowed (did you mean "
       "image?)\n");
}

TEST_CASE("schema: every unknown key of a mapping is reported, not only the first") {
  CHECK(
      check(R"(services:
  web:
    imagee: nginx
    comand: [run]
)") ==
      R"(c.yaml:3:5: services.web: additional property "imagee" is not allowed (did you mean image?)
c.yaml:4:5: services.web: additional property "comand" is not allowed (did you mean command?)
)");
}

TEST_CASE("schema: an unknown top-level key") {
  CHECK(check(R"(services: {}
service:
  web: {image: nginx}
)") == "c.yaml:2:1: additional property \"service\" is not allowed (did you mean services?)\n");
}

TEST_CASE("schema: a wrong type names the expected type and what was found") {
  CHECK(check(R"(services:
  web:
    image: nginx
    restart: [always]
)") == "c.yaml:4:14: services.web.restart: expected a string, got a list\n");
}

TEST_CASE("schema: a section of the wrong kind") {
  CHECK(check("services: [web, db]\nnetworks: front\n") ==
        R"(c.yaml:1:11: services: expected a mapping, got a list
c.yaml:2:11: networks: expected a mapping, got a string ("front")
)");
}

TEST_CASE("schema: oneOf with no branch for the value's type lists the allowed types") {
  CHECK(check(R"(services:
  web:
    image: nginx
    ports:
      - [80, 8080]
    command: {run: x}
)") == R"(c.yaml:5:9: services.web.ports[0]: expected a number, a string or a mapping, got a list
c.yaml:6:14: services.web.command: expected null, a string or a list, got a mapping
)");
}

TEST_CASE("schema: oneOf reports the branch the value was meant for, not a cascade") {
  CHECK(check(R"(services:
  web:
    image: nginx
    ports:
      - target: 80
        publised: "8080"
)") == "c.yaml:6:9: services.web.ports[0]: additional property \"publised\" is not allowed (did "
       "you mean published?)\n");
}

TEST_CASE("schema: a bad enum value lists the allowed ones") {
  CHECK(check(R"(services:
  web:
    image: nginx
    depends_on:
      db:
        condition: service_ready
  db:
    image: postgres
)") == "c.yaml:6:20: services.web.depends_on.db.condition: expected one of \"service_started\", "
       "\"service_healthy\" or \"service_completed_successfully\", got \"service_ready\"\n");
}

TEST_CASE("schema: a missing required property") {
  CHECK(check(R"(services:
  web:
    image: nginx
    depends_on:
      db:
        restart: true
    volumes:
      - source: data
        target: /data
)") == R"(c.yaml:6:9: services.web.depends_on.db: missing required property "condition"
c.yaml:8:9: services.web.volumes[0]: missing required property "type"
)");
}

TEST_CASE("schema: environment values must be scalars") {
  CHECK(check(R"(services:
  web:
    image: nginx
    environment:
      A: [1, 2]
)") == "c.yaml:5:10: services.web.environment.A: expected a string, a number, a boolean or null, "
       "got a list\n");
}

TEST_CASE("schema: a service name with characters Compose does not allow") {
  CHECK(check(R"(services:
  my web:
    image: nginx
)") == "c.yaml:2:3: services: \"my web\" is not a valid name: use only letters, digits, '.', '_' "
       "and '-'\n");
}

TEST_CASE("schema: a bad name deep in a service, next to an error elsewhere") {
  CHECK(
      check(R"(services:
  web:
    image: nginx
    depends_on:
      "db 1":
        condition: service_started
    networks:
      front/back: {}
  db:
    image: [postgres]
)") ==
      R"(c.yaml:5:7: services.web.depends_on: "db 1" is not a valid name: use only letters, digits, '.', '_' and '-'
c.yaml:8:7: services.web.networks: "front/back" is not a valid name: use only letters, digits, '.', '_' and '-'
c.yaml:10:12: services.db.image: expected a string, got a list
)");
}

TEST_CASE("schema: list items that must be unique") {
  CHECK(check(R"(services:
  web:
    image: nginx
    ports:
      - "80:80"
      - "443:443"
      - "80:80"
)") == "c.yaml:7:9: services.web.ports[2]: duplicate item (same as [0]): items must be unique\n");
}

TEST_CASE("schema: a number below the minimum") {
  CHECK(check(R"(services:
  web:
    image: nginx
    cpu_count: -1
)") == "c.yaml:4:16: services.web.cpu_count: expected a number >= 0, got -1\n");
}

TEST_CASE("schema: plain scalars are typed by YAML 1.2, quoted ones are strings") {
  CHECK(check(R"(services:
  web:
    image: 1.5
    stop_grace_period: 10
    tty: "true"
    hostname: "10"
)") == R"(c.yaml:3:12: services.web.image: expected a string, got a number (1.5)
c.yaml:4:24: services.web.stop_grace_period: expected a string, got a number (10)
)");
}

TEST_CASE("schema: all errors of a file at once, in file order") {
  CHECK(check(R"(version: 3
services:
  web:
    image: nginx
    restart: [always]
  db:
    image: postgres
    healthcheck:
      test: [CMD, true]
      interval: 10
volumes:
  data:
    driver: [local]
)") == R"(c.yaml:1:10: version: expected a string, got a number (3)
c.yaml:5:14: services.web.restart: expected a string, got a list
c.yaml:9:19: services.db.healthcheck.test[1]: expected a string, got a boolean (true)
c.yaml:10:17: services.db.healthcheck.interval: expected a string, got a number (10)
c.yaml:13:13: volumes.data.driver: expected a string, got a list
)");
}

TEST_CASE("schema: a node shared through an alias is reported once") {
  CHECK(check(R"(x-base: &base
  image: nginx
  imagee: nginx
services:
  a: *base
  b: *base
)") == "c.yaml:3:3: services.a: additional property \"imagee\" is not allowed (did you mean "
       "image?)\n");
}

TEST_CASE("schema: x-qpod in a service, bad values") {
  CHECK(
      check(R"(services:
  web:
    image: nginx
    x-qpod:
      start: sometimes
      watch: src/**
      restart: always
)") ==
      R"(c.yaml:5:14: services.web.x-qpod.start: expected one of "auto", "binary" or "manual", got "sometimes"
c.yaml:6:14: services.web.x-qpod.watch: expected a list, got a string ("src/**")
c.yaml:7:7: services.web.x-qpod: additional property "restart" is not allowed (did you mean start?)
)");
}

TEST_CASE("schema: x-qpod at the top level, bad values") {
  CHECK(check(R"(services: {}
x-qpod:
  name: qpod
  image: [centos]
  mounts:
    - target: /tmp
      readonly: [yes]
    - /src
  binaries:
    - name: waf
      runArgs: --privileged
    - gdb
  defaultRunArgs: [--rm, --rm]
  services: [web]
)") == R"(c.yaml:4:10: x-qpod.image: expected a string, got a list
c.yaml:6:7: x-qpod.mounts[0]: missing required property "source"
c.yaml:7:17: x-qpod.mounts[0].readonly: expected a boolean or a string, got a list
c.yaml:8:7: x-qpod.mounts[1]: expected a mapping, got a string ("/src")
c.yaml:11:16: x-qpod.binaries[0].runArgs: expected a list, got a string ("--privileged")
c.yaml:12:7: x-qpod.binaries[1]: expected a mapping, got a string ("gdb")
c.yaml:13:26: x-qpod.defaultRunArgs[1]: duplicate item (same as [0]): items must be unique
c.yaml:14:3: x-qpod: additional property "services" is not allowed
)");
}

TEST_CASE("schema: the official Compose schema takes any x- key, the dialect checks x-qpod") {
  const char* doc = R"(services:
  web:
    image: nginx
    x-qpod: {start: never}
x-qpod: 42
)";
  CHECK(check(doc, Schema::kCompose) == "");
  CHECK(
      check(doc) ==
      R"(c.yaml:4:21: services.web.x-qpod.start: expected one of "auto", "binary" or "manual", got "never"
c.yaml:5:9: x-qpod: expected a mapping, got a number (42)
)");
}

// ---- valid documents ------------------------------------------------------------------------

TEST_CASE("schema: a full service is valid under both schemas") {
  const char* doc = R"(name: demo
services:
  web:
    image: nginx:1.25
    build:
      context: ./web
      args: {VERSION: "1"}
    command: ["nginx", "-g", "daemon off;"]
    ports:
      - 80
      - "8080:80"
      - target: 443
        published: "8443"
        protocol: tcp
    environment:
      A: "1"
      B: 2
      C: true
      D:
    env_file: [.env]
    volumes:
      - ./html:/usr/share/nginx/html:ro
      - type: volume
        source: data
        target: /data
    depends_on:
      db:
        condition: service_healthy
        restart: true
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 10s
      retries: 3
    restart: unless-stopped
    labels: [a=b]
  db:
    image: postgres
    depends_on: [cache]
  cache:
    image: redis
volumes:
  data: {}
networks:
  default:
secrets:
  token:
    file: ./token.txt
)";
  CHECK(check(doc, Schema::kCompose) == "");
  CHECK(check(doc) == "");
}

TEST_CASE("schema: x- keys are allowed wherever the Compose schema allows extensions") {
  CHECK(check(R"(x-common: &common
  restart: always
x-anything: [1, 2, {a: b}]
services:
  web:
    <<: *common
    image: nginx
    x-owner: team-a
    ports:
      - target: 80
        x-note: http
    healthcheck:
      test: ["CMD", "true"]
      x-why: liveness
    depends_on:
      db:
        condition: service_started
        x-note: db first
  db:
    image: postgres
networks:
  front:
    x-subnet-owner: infra
volumes:
  data:
    x-backup: daily
)") == "");
}

TEST_CASE("schema: the environment template of the QPOD article is valid x-qpod") {
  CHECK(check(R"(name: qpod
x-qpod:
  name: qpod
  image: localhost/centos7-qpod:latest
  build: ./docker
  env:
    CC: gcc
  mounts:
    - source: /tmp
    - source: /opt/tools
      target: /tools
      readonly: true
  binaries:
    - name: waf
      services: [web, zookeeper]
    - name: gdb
      runArgs: [--cap-add=SYS_PTRACE]
  defaultRunArgs: [--rm]
  ports: ["8000:8000", 3000]
  x-comment: extensions are allowed here too
services:
  web:
    image: nginx
    x-qpod:
      start: binary
      watch: [build/plugins/*.so, conf/]
  zookeeper:
    image: zookeeper
    x-qpod: {start: auto}
  grafana:
    image: grafana/grafana
    x-qpod: {start: manual}
)") == "");
}

TEST_CASE("schema: nodes tagged !reset are left out") {
  CHECK(check(R"(services:
  web:
    image: nginx
    ports: !reset {}
    environment:
      A: !reset [1]
)") == "");
}

TEST_CASE("schema: an empty file is a valid (empty) project") { CHECK(check("") == ""); }
