#include "compose/merge.h"

#include <catch2/catch.hpp>

#include "compose/emit.h"
#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

Node yaml(const char* text, const std::string& file = "expected.yaml") {
  auto r = parse_yaml(text, file);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// base.yaml merged with override.yaml, tags stripped, as YAML text.
std::string merged(const char* base, const char* over) {
  auto r = merge_files(yaml(base, "base.yaml"), yaml(over, "override.yaml"));
  REQUIRE(r.ok());
  Node n = std::move(r).value();
  strip_reset_tags(n);
  return to_yaml(n);
}

// The same document, printed the way `merged` prints.
std::string expect(const char* text) { return to_yaml(yaml(text)); }

}  // namespace

TEST_CASE("merge: mappings merge key by key, scalars are replaced") {
  CHECK(merged(R"(
services:
  foo:
    key1: value1
    key2: value2
)",
               R"(
services:
  foo:
    key2: VALUE
    key3: value3
  bar:
    image: bar
)") == expect(R"(
services:
  foo:
    key1: value1
    key2: VALUE
    key3: value3
  bar:
    image: bar
)"));
}

TEST_CASE("merge: sequences append without duplicates, a null override keeps the base") {
  CHECK(merged(R"(
services:
  foo:
    dns: [1.1.1.1]
    cap_add: [NET_ADMIN]
    expose: ["80"]
    image: busybox
)",
               R"(
services:
  foo:
    dns: 8.8.8.8
    cap_add: [NET_ADMIN, SYS_TIME]
    expose: [80, 443]
    image:
)") == expect(R"(
services:
  foo:
    dns: [1.1.1.1, 8.8.8.8]
    cap_add: [NET_ADMIN, SYS_TIME]
    expose: [80, 443]
    image: busybox
)"));
}

TEST_CASE("merge: command, entrypoint and healthcheck.test are replaced") {
  CHECK(merged(R"(
services:
  foo:
    command: ["echo", "foo"]
    entrypoint: [sh, -c]
    healthcheck:
      test: [CMD, true]
      interval: 5s
)",
               R"(
services:
  foo:
    command: ["echo", "bar"]
    entrypoint: /init
    healthcheck:
      test: [CMD-SHELL, "exit 0"]
)") == expect(R"(
services:
  foo:
    command: ["echo", "bar"]
    entrypoint: /init
    healthcheck:
      test: [CMD-SHELL, "exit 0"]
      interval: 5s
)"));
}

TEST_CASE("merge: ports are keyed by host ip, published, target and protocol in either syntax") {
  CHECK(merged(R"(
services:
  web:
    ports:
      - "8080:80"
      - "127.0.0.1:8080:80"
      - "53:53/udp"
      - 9000
      - target: 443
        published: "8443"
)",
               R"(
services:
  web:
    ports:
      - target: 80
        published: 8080
        name: http
      - "53:53"
      - "[::1]:6001:6001"
      - "9000"
      - "8443:443"
)") == expect(R"(
services:
  web:
    ports:
      - target: 80
        published: 8080
        name: http
      - "127.0.0.1:8080:80"
      - "53:53/udp"
      - "9000"
      - "8443:443"
      - "53:53"
      - "[::1]:6001:6001"
)"));
}

TEST_CASE("merge: volumes, devices and tmpfs are keyed by the container path") {
  CHECK(merged(R"(
services:
  web:
    volumes:
      - foo:/work
      - ./a:/b:ro
      - type: volume
        source: data
        target: /data
      - /cache
    devices: ["/dev/sda:/dev/xvda:rwm", "/dev/fuse"]
    tmpfs: /run
)",
               R"(
services:
  web:
    volumes:
      - bar:/work
      - type: bind
        source: ./c
        target: /b
      - type: volume
        target: /data
        read_only: true
      - /logs
    devices:
      - source: /dev/sdb
        target: /dev/xvda
    tmpfs: ["/run:size=64m", /tmp]
)") == expect(R"(
services:
  web:
    volumes:
      - bar:/work
      - type: bind
        source: ./c
        target: /b
      - type: volume
        source: data
        target: /data
        read_only: true
      - /cache
      - /logs
    devices:
      - source: /dev/sdb
        target: /dev/xvda
      - /dev/fuse
    tmpfs: ["/run:size=64m", /tmp]
)"));
}

TEST_CASE("merge: secrets and configs are keyed by target, else by source") {
  CHECK(merged(R"(
services:
  web:
    secrets: [token, key]
    configs: [app]
)",
               R"(
services:
  web:
    secrets:
      - source: token
        mode: 0400
      - source: key
        target: /etc/key
    configs:
      - source: app
        target: /app
)") == expect(R"(
services:
  web:
    secrets:
      - source: token
        mode: 0400
      - key
      - source: key
        target: /etc/key
    configs:
      - source: app
        target: /app
)"));
}

TEST_CASE("merge: environment and labels merge by name, a list meeting a mapping becomes one") {
  CHECK(merged(R"(
services:
  web:
    environment: [A=1, B=2, C]
    labels: {a: "1"}
    annotations: [x=1, y=2]
    ulimits:
      nofile: {soft: 1024, hard: 2048}
      nproc: 100
)",
               R"(
services:
  web:
    environment: {B: "3", D: 4}
    labels: ["b=2", "a=0"]
    annotations: [y=3]
    ulimits:
      nofile: 4096
)") == expect(R"(
services:
  web:
    environment: {A: "1", B: "3", C: null, D: 4}
    labels: {a: "0", b: "2"}
    annotations: [x=1, y=3]
    ulimits:
      nofile: 4096
      nproc: 100
)"));
}

TEST_CASE("merge: extra_hosts by host name, one host may have several addresses") {
  CHECK(merged(R"(
services:
  web:
    extra_hosts: ["db:10.0.0.1", "db=10.0.0.2", "cache:10.0.0.3"]
)",
               R"(
services:
  web:
    extra_hosts: {db: "::1", api: 10.0.0.4}
)") == expect(R"(
services:
  web:
    extra_hosts: {db: "::1", cache: 10.0.0.3, api: 10.0.0.4}
)"));
  CHECK(merged(R"(
services:
  web:
    extra_hosts: ["db:10.0.0.1", "cache:10.0.0.3"]
)",
               R"(
services:
  web:
    extra_hosts: ["db=10.0.0.2", "db=10.0.0.5"]
)") == expect(R"(
services:
  web:
    extra_hosts: ["db=10.0.0.2", "db=10.0.0.5", "cache:10.0.0.3"]
)"));
}

TEST_CASE("merge: depends_on and networks, as lists or mappings") {
  CHECK(merged(R"(
services:
  web:
    depends_on: [db, cache]
    networks: [front]
  worker:
    depends_on: [db]
    networks:
      back: {aliases: [w]}
)",
               R"(
services:
  web:
    depends_on:
      db: {condition: service_healthy}
    networks:
      back: {aliases: [api]}
  worker:
    depends_on: [db, queue]
    networks:
      back:
        aliases: [worker]
      front:
)") == expect(R"(
services:
  web:
    depends_on:
      db: {condition: service_healthy}
      cache: {condition: service_started}
    networks:
      front:
      back: {aliases: [api]}
  worker:
    depends_on: [db, queue]
    networks:
      back: {aliases: [w, worker]}
      front:
)"));
}

TEST_CASE("merge: build as a path or a mapping, a new logging driver drops the old options") {
  CHECK(merged(R"(
services:
  web:
    build: ./web
    logging:
      driver: json-file
      options: {max-size: 10m}
  api:
    logging:
      driver: journald
      options: {tag: api}
)",
               R"(
services:
  web:
    build:
      dockerfile: Dockerfile.dev
      args: [A=1]
    logging:
      driver: syslog
  api:
    logging:
      options: {labels: x}
)") == expect(R"(
services:
  web:
    build:
      context: ./web
      dockerfile: Dockerfile.dev
      args: [A=1]
    logging:
      driver: syslog
  api:
    logging:
      driver: journald
      options: {tag: api, labels: x}
)"));
}

TEST_CASE("merge: !reset removes a value, a mapping entry or a list entry") {
  CHECK(merged(R"(
services:
  app:
    image: myapp
    ports:
      - "8080:80"
    environment:
      FOO: BAR
    dns: [1.1.1.1, 8.8.8.8]
    volumes: ["a:/a", "b:/b"]
  old:
    image: old
)",
               R"(
services:
  app:
    image: myapp
    ports: !reset []
    environment:
      FOO: !reset null
    dns: [!reset 8.8.8.8]
    volumes: [!reset "x:/a"]
  old: !reset
)") == expect(R"(
services:
  app:
    image: myapp
    environment: {}
    dns: [1.1.1.1]
    volumes: ["b:/b"]
)"));
}

TEST_CASE("merge: !override replaces instead of merging") {
  CHECK(merged(R"(
services:
  app:
    image: myapp
    ports:
      - "8080:80"
    environment: {A: "1"}
)",
               R"(
services:
  app:
    ports: !override
      - "8443:443"
    environment: !override [B=2]
)") == expect(R"(
services:
  app:
    image: myapp
    ports:
      - "8443:443"
    environment: [B=2]
)"));
}

TEST_CASE("merge: top-level resources and extensions merge as mappings") {
  CHECK(merged(R"(
name: one
networks:
  front:
    driver: bridge
    labels: [a=1]
    ipam:
      config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]
volumes:
  data: {}
x-common: {a: 1}
)",
               R"(
name: two
networks:
  front:
    labels: {b: "2"}
    ipam:
      config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.128/25}]
  back:
secrets:
  token: {file: ./token}
x-common: {b: 2}
)") == expect(R"(
name: two
networks:
  front:
    driver: bridge
    labels: {a: "1", b: "2"}
    ipam:
      config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.128/25}]
  back:
volumes:
  data: {}
x-common: {a: 1, b: 2}
secrets:
  token: {file: ./token}
)"));
}

TEST_CASE("merge_service: the override wins and positions of the override are kept") {
  auto base = yaml("image: busybox\nuser: root\nports: [\"80\"]\n", "common.yaml");
  auto local = yaml("user: app\nports: [\"81\"]\n", "compose.yaml");
  auto r = merge_service(base, local, "services.cli");
  REQUIRE(r.ok());
  CHECK(to_yaml(*r) == expect("image: busybox\nuser: app\nports: [\"80\", \"81\"]\n"));
  CHECK(*r->find("user")->mark.file == "compose.yaml");
  CHECK(r->find("user")->mark.line == 1);
}

TEST_CASE("merge: a service that is not a mapping is an error with its position") {
  auto r = merge_files(yaml("services:\n  web:\n    image: a\n", "base.yaml"),
                       yaml("services:\n  web: [x]\n", "override.yaml"));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() == 1);
  CHECK(format(r.errors()[0]) ==
        "override.yaml:2:8: services.web: expected a service definition (a mapping), not a list");
}

TEST_CASE("strip_reset_tags: a lone file's !reset values go, !override tags are cleared") {
  Node n = yaml(R"(
services:
  app:
    image: app
    ports: !reset ["80"]
    environment: !override {A: "1", B: !reset x}
    dns: [!reset 1.1.1.1, 8.8.8.8]
)");
  strip_reset_tags(n);
  CHECK(n == yaml(R"(
services:
  app:
    image: app
    environment: {A: "1"}
    dns: [8.8.8.8]
)"));
  CHECK(n.find("services")->find("app")->find("environment")->tag.empty());
}

TEST_CASE("merge: three files, a reset in the middle and new values after it") {
  auto a = yaml("services:\n  s:\n    ports: [\"80:80\"]\n", "a.yaml");
  auto b = yaml("services:\n  s:\n    ports: !reset []\n", "b.yaml");
  auto c = yaml("services:\n  s:\n    ports: [\"81:81\"]\n", "c.yaml");
  auto ab = merge_files(a, b);
  REQUIRE(ab.ok());
  auto abc = merge_files(*ab, c);
  REQUIRE(abc.ok());
  strip_reset_tags(*abc);
  CHECK(to_yaml(*abc) == expect("services:\n  s:\n    ports: [\"81:81\"]\n"));
}
