#include "compose/bind.h"

#include <catch2/catch.hpp>

#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;
using namespace std::chrono_literals;

namespace {

Node yaml(const char* text) {
  auto r = parse_yaml(text, "compose.yaml");
  REQUIRE(r.ok());
  return std::move(r).value();
}

// The one service of a normalized project text.
Result<Service> bind_one(const char* text) {
  Node root = yaml(text);
  const Node* services = root.find("services");
  REQUIRE(services);
  REQUIRE(services->size() == 1);
  return bind_service(services->keys[0].name, services->items[0]);
}

}  // namespace

TEST_CASE("bind reads scalars, lists and maps of a normalized service") {
  auto s = bind_one(R"(services:
  web:
    cap_add: [NET_ADMIN]
    command: [nginx, -g, daemon off;]
    container_name: web-1
    entrypoint: null
    environment: {A: "1", B: null}
    expose: ["80", "8000-8010/udp"]
    extra_hosts: ["db:10.0.0.2"]
    image: nginx:1.25
    init: true
    labels: {com.example: x}
    mem_limit: 536870912
    privileged: false
    read_only: true
    restart: on-failure:3
    scale: 2
    shm_size: 67108864
    sysctls: {net.core.somaxconn: "1024"}
    tty: true
    user: "1000"
    x-qpod: {keep: true}
)");
  REQUIRE(s.ok());
  CHECK(s->name == "web");
  CHECK(s->image == "nginx:1.25");
  CHECK(s->cap_add == std::vector<std::string>{"NET_ADMIN"});
  CHECK(s->command == std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK_FALSE(s->entrypoint.has_value());
  CHECK(s->container_name == "web-1");
  CHECK(s->environment.at("A") == "1");
  CHECK_FALSE(s->environment.at("B").has_value());
  CHECK(s->expose == std::vector<std::string>{"80", "8000-8010/udp"});
  CHECK(s->extra_hosts == std::vector<std::string>{"db:10.0.0.2"});
  CHECK(s->init == true);
  CHECK(s->labels == StringMap{{"com.example", "x"}});
  CHECK(s->mem_limit == 536870912);
  CHECK(s->shm_size == 67108864);
  CHECK(s->read_only);
  CHECK(s->tty);
  CHECK_FALSE(s->privileged);
  CHECK(s->restart == "on-failure:3");
  CHECK(s->scale == 2);
  CHECK(s->sysctls.at("net.core.somaxconn") == "1024");
  CHECK(s->user == "1000");
  REQUIRE(s->extensions.is_mapping());
  CHECK(s->extensions.keys.size() == 1);
  CHECK(s->extensions.find("x-qpod")->find("keep")->as_bool() == true);
  CHECK(s->node.find("image")->str() == "nginx:1.25");
}

TEST_CASE("bind reads ports, mounts, secrets and ulimits") {
  auto s = bind_one(R"(services:
  db:
    ports:
      - {mode: ingress, host_ip: 127.0.0.1, target: 5432, published: "15432", protocol: tcp}
      - {mode: ingress, target: 53, protocol: udp, name: dns, app_protocol: dns}
    secrets:
      - {source: pw, target: /run/secrets/pw, uid: "999", mode: 0o400}
    ulimits:
      nofile: {soft: 1024, hard: 4096}
    volumes:
      - type: bind
        source: /srv/data
        target: /data
        read_only: true
        bind: {create_host_path: false, selinux: Z}
      - type: volume
        source: pgdata
        target: /var/lib/postgresql
        volume: {nocopy: true, subpath: sub}
      - type: tmpfs
        target: /tmp
        tmpfs: {size: 1048576, mode: 1777}
)");
  REQUIRE(s.ok());
  REQUIRE(s->ports.size() == 2);
  CHECK(s->ports[0] == Port{"", "127.0.0.1", "15432", 5432, "tcp", "", "ingress"});
  CHECK(s->ports[1] == Port{"dns", "", "", 53, "udp", "dns", "ingress"});
  REQUIRE(s->secrets.size() == 1);
  CHECK(s->secrets[0].source == "pw");
  CHECK(s->secrets[0].target == "/run/secrets/pw");
  CHECK(s->secrets[0].uid == "999");
  CHECK(s->secrets[0].mode == 0400u);
  CHECK(s->ulimits.at("nofile") == Ulimit{1024, 4096});
  REQUIRE(s->volumes.size() == 3);
  const Mount& bind = s->volumes[0];
  CHECK(bind.type == "bind");
  CHECK(bind.source == "/srv/data");
  CHECK(bind.read_only);
  CHECK_FALSE(bind.bind_create_host_path);
  CHECK(bind.bind_selinux == "Z");
  const Mount& vol = s->volumes[1];
  CHECK(vol.source == "pgdata");
  CHECK(vol.volume_nocopy);
  CHECK(vol.volume_subpath == "sub");
  CHECK_FALSE(vol.read_only);
  CHECK(vol.bind_create_host_path);  // the default
  const Mount& tmp = s->volumes[2];
  CHECK(tmp.source.empty());
  CHECK(tmp.tmpfs_size == 1048576);
  CHECK(tmp.tmpfs_mode == 1777u);
}

TEST_CASE("bind reads depends_on, networks, healthcheck test and build") {
  auto s = bind_one(R"(services:
  app:
    build:
      context: /src/app
      dockerfile: Dockerfile
      args: {VERSION: "1.2", EMPTY: null}
      target: prod
      tags: [app:dev]
    depends_on:
      db: {condition: service_healthy, required: true, restart: true}
      cache: {condition: service_started, required: false}
    healthcheck:
      test: [CMD, curl, -f, http://localhost]
      retries: 3
    networks:
      front: null
      back: {aliases: [api], ipv4_address: 172.16.0.5, priority: 100}
)");
  REQUIRE(s.ok());
  REQUIRE(s->build.has_value());
  CHECK(s->build->context == "/src/app");
  CHECK(s->build->target == "prod");
  CHECK(s->build->args.at("VERSION") == "1.2");
  CHECK_FALSE(s->build->args.at("EMPTY").has_value());
  CHECK(s->build->tags == std::vector<std::string>{"app:dev"});
  CHECK(s->depends_on.at("db") == Dependency{"service_healthy", true, true});
  CHECK(s->depends_on.at("cache") == Dependency{"service_started", false, false});
  REQUIRE(s->healthcheck.has_value());
  CHECK(s->healthcheck->test == std::vector<std::string>{"CMD", "curl", "-f", "http://localhost"});
  CHECK(s->healthcheck->retries == 3);
  CHECK_FALSE(s->healthcheck->disable);
  CHECK(s->networks.at("front") == ServiceNetwork{});
  CHECK(s->networks.at("back").aliases == std::vector<std::string>{"api"});
  CHECK(s->networks.at("back").ipv4_address == "172.16.0.5");
  CHECK(s->networks.at("back").priority == 100);
}

TEST_CASE("bind parses durations with compose::parse_duration") {
  auto s = bind_one(R"(services:
  app:
    healthcheck:
      disable: true
      interval: 1m30s
      timeout: 10s
      start_period: 40s
      start_interval: 500ms
    stop_grace_period: 1h
)");
  REQUIRE(s.ok());
  REQUIRE(s->healthcheck.has_value());
  CHECK(s->healthcheck->disable);
  CHECK(s->healthcheck->interval == Duration(90s));
  CHECK(s->healthcheck->timeout == Duration(10s));
  CHECK(s->healthcheck->start_period == Duration(40s));
  CHECK(s->healthcheck->start_interval == Duration(500ms));
  CHECK(s->stop_grace_period == Duration(1h));
}

TEST_CASE("bind leaves absent keys at their defaults") {
  auto s = bind_one("services:\n  a:\n    image: busybox\n");
  REQUIRE(s.ok());
  CHECK_FALSE(s->command.has_value());
  CHECK_FALSE(s->build.has_value());
  CHECK_FALSE(s->healthcheck.has_value());
  CHECK_FALSE(s->init.has_value());
  CHECK_FALSE(s->scale.has_value());
  CHECK(s->ports.empty());
  CHECK(s->extensions.is_mapping());
  CHECK(s->extensions.size() == 0);
}

TEST_CASE("bind reports every value problem at once, with positions") {
  auto s = bind_one(R"(services:
  web:
    command: nginx
    healthcheck:
      test: [CURL, x]
      interval: 10 seconds
      retries: many
    ports:
      - {target: 70000, protocol: tcpp}
    privileged: maybe
    restart: sometimes
    shm_size: lots
    volumes:
      - {type: volume, source: x}
)");
  REQUIRE_FALSE(s.ok());
  CHECK(format(s.errors()) ==
        "compose.yaml:3:14: services.web.command: expected a list of strings, not a string "
        "(\"nginx\")\n"
        "compose.yaml:5:14: services.web.healthcheck.test[0]: a healthcheck test starts with "
        "\"CMD\", \"CMD-SHELL\" or \"NONE\", not \"CURL\"\n"
        "compose.yaml:6:17: services.web.healthcheck.interval: invalid duration \"10 seconds\": "
        "expected a number and a unit (h, m, s, ms, us, ns), such as \"1m30s\" or \"500ms\"\n"
        "compose.yaml:7:16: services.web.healthcheck.retries: expected an integer, not a string "
        "(\"many\")\n"
        "compose.yaml:9:18: services.web.ports[0].target: expected a port number (1-65535), not a "
        "number (70000)\n"
        "compose.yaml:9:35: services.web.ports[0].protocol: invalid value \"tcpp\": expected one "
        "of tcp, udp, sctp\n"
        "compose.yaml:10:17: services.web.privileged: expected a boolean, not a string "
        "(\"maybe\")\n"
        "compose.yaml:11:14: services.web.restart: invalid restart policy \"sometimes\": "
        "expected no, always, on-failure[:N] or unless-stopped\n"
        "compose.yaml:12:15: services.web.shm_size: invalid byte size \"lots\": expected a number "
        "of bytes or a size such as \"512k\", \"64m\" or \"1g\"\n"
        "compose.yaml:14:9: services.web.volumes[0]: missing \"target\"\n");
}

TEST_CASE("bind_project fills resources, disabled services and extensions") {
  Node root = yaml(R"(name: shop
services:
  web: {image: nginx}
networks:
  default: {name: shop_default}
  outside: {name: corp, external: true}
  inner: {name: shop_inner, driver: bridge, internal: true, driver_opts: {mtu: "1400"},
          ipam: {config: [{subnet: 10.5.0.0/16}]}}
volumes:
  data: {name: shop_data, labels: {backup: daily}}
  old: {name: legacy, external: true}
secrets:
  pw: {name: shop_pw, file: /srv/pw.txt}
  token: {name: shop_token, environment: TOKEN}
configs:
  conf: {name: shop_conf, content: "a=1"}
x-common: {a: 1}
)");
  Node disabled = yaml("debug: {image: busybox, profiles: [debug]}\n");
  Project p;
  auto errors = bind_project(root, disabled, p);
  CHECK(errors.empty());
  CHECK(p.name == "shop");
  CHECK(p.services.size() == 1);
  CHECK(p.services.at("web").image == "nginx");
  CHECK(p.disabled_services.at("debug").profiles == std::vector<std::string>{"debug"});
  CHECK(p.networks.at("default").name == "shop_default");
  CHECK(p.networks.at("outside").external);
  CHECK(p.networks.at("outside").name == "corp");
  CHECK(p.networks.at("inner").internal);
  CHECK(p.networks.at("inner").driver == "bridge");
  CHECK(p.networks.at("inner").driver_opts == StringMap{{"mtu", "1400"}});
  CHECK(p.networks.at("inner").ipam.find("config")->is_sequence());
  CHECK(p.volumes.at("data").name == "shop_data");
  CHECK(p.volumes.at("data").labels == StringMap{{"backup", "daily"}});
  CHECK(p.volumes.at("old").external);
  CHECK(p.secrets.at("pw").file == "/srv/pw.txt");
  CHECK(p.secrets.at("token").environment == "TOKEN");
  CHECK(p.configs.at("conf").content == "a=1");
  CHECK(p.extensions.find("x-common") != nullptr);
  CHECK(p.node == root);
}

TEST_CASE("bind_project names resources that normalize left unnamed") {
  Node root = yaml("name: shop\nnetworks:\n  front:\nvolumes:\n  ext: {external: true}\n");
  Project p;
  CHECK(bind_project(root, Node::mapping(), p).empty());
  CHECK(p.networks.at("front").name == "shop_front");
  CHECK(p.volumes.at("ext").name == "ext");
}

TEST_CASE("bind_project collects the errors of all services") {
  Node root = yaml("services:\n  a: {tty: 2}\n  b: {scale: x}\n");
  Project p;
  CHECK(format(bind_project(root, Node::mapping(), p)) ==
        "compose.yaml:2:12: services.a.tty: expected a boolean, not a number (2)\n"
        "compose.yaml:3:14: services.b.scale: expected an integer, not a string (\"x\")\n");
}

namespace {

std::string hash_of(const char* service_yaml) {
  Node n = yaml(service_yaml);
  auto s = bind_service("web", n);
  REQUIRE(s.ok());
  return service_hash(*s);
}

}  // namespace

TEST_CASE("service_hash is stable, canonical and ignores what does not touch the container") {
  const std::string base = hash_of(
      "image: nginx\nenvironment: {A: \"1\"}\nports: [{target: 80, published: \"8080\"}]\n");
  // Pinned: the same text hashes the same on every run and machine.
  CHECK(base == hash_of("image: nginx\nenvironment: {A: \"1\"}\n"
                        "ports: [{target: 80, published: \"8080\"}]\n"));
  CHECK(base.size() == 40);
  CHECK(base.find_first_not_of("0123456789abcdef") == std::string::npos);
  // = printf %s '{"image":"nginx"}' | sha1sum
  CHECK(hash_of("image: nginx\n") == "206875881c52a98c935de076c829aee00e909601");
  // Key order does not matter, at any level.
  CHECK(base == hash_of("ports: [{published: \"8080\", target: 80}]\nenvironment: {A: \"1\"}\n"
                        "image: nginx\n"));
  // Left out: scale, profiles, deploy.replicas, pull_policy, env_file, depends_on's
  // required/restart.
  CHECK(base == hash_of("image: nginx\nenvironment: {A: \"1\"}\n"
                        "ports: [{target: 80, published: \"8080\"}]\nscale: 3\nprofiles: [x]\n"
                        "deploy: {replicas: 2}\npull_policy: always\n"
                        "env_file: [{path: /a.env, required: true}]\n"));
  CHECK(hash_of("image: a\ndepends_on: {db: {condition: service_started, required: true}}\n") ==
        hash_of("image: a\ndepends_on: {db: {condition: service_started, restart: true}}\n"));
  // Anything else changes it.
  CHECK(base != hash_of("image: nginx:1.25\nenvironment: {A: \"1\"}\n"
                        "ports: [{target: 80, published: \"8080\"}]\n"));
  CHECK(base != hash_of("image: nginx\nenvironment: {A: \"2\"}\n"
                        "ports: [{target: 80, published: \"8080\"}]\n"));
  CHECK(base != hash_of("image: nginx\nenvironment: {A: \"1\"}\n"
                        "ports: [{target: 80, published: \"8081\"}]\n"));
  CHECK(hash_of("image: a\ncommand: [\"1\"]\n") != hash_of("image: a\ncommand: [1]\n"));
  CHECK(hash_of("image: a\ndeploy: {replicas: 2, resources: {limits: {cpus: \"1\"}}}\n") !=
        hash_of("image: a\n"));
  CHECK(hash_of("image: a\ndepends_on: {db: {condition: service_healthy}}\n") !=
        hash_of("image: a\ndepends_on: {db: {condition: service_started}}\n"));
}

TEST_CASE("bind reads a secret's mode as docker compose does: a leading 0 or a string is octal") {
  auto s = bind_one(R"(services:
  web:
    image: x
    secrets:
      - {source: a, mode: 0400}
      - {source: b, mode: "0440"}
      - {source: c, mode: 0o444}
      - {source: d, mode: 288}
      - {source: e, mode: "440"}
    configs:
      - {source: f, mode: 0644}
)");
  REQUIRE(s.ok());
  REQUIRE(s->secrets.size() == 5);
  CHECK(s->secrets[0].mode == 0400u);  // not 400, which is 0620
  CHECK(s->secrets[1].mode == 0440u);
  CHECK(s->secrets[2].mode == 0444u);
  CHECK(s->secrets[3].mode == 0440u);
  CHECK(s->secrets[4].mode == 0440u);
  CHECK(s->configs[0].mode == 0644u);
  auto bad =
      bind_one("services:\n  web:\n    image: x\n    secrets: [{source: a, mode: \"rw\"}]\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(format(bad.errors()).find("services.web.secrets[0].mode") != std::string::npos);
}

TEST_CASE("bind maps deploy.restart_policy to a restart policy, as docker compose does") {
  auto restart_of = [](const char* policy, const char* restart = nullptr) {
    std::string text =
        "services:\n  web:\n    deploy:\n      restart_policy: " + std::string(policy) +
        "\n    image: busybox\n";
    if (restart) text += "    restart: " + std::string(restart) + "\n";
    auto s = bind_one(text.c_str());
    REQUIRE(s.ok());
    return s->restart;
  };
  CHECK(restart_of("{condition: none}") == "no");
  CHECK(restart_of("{condition: any}") == "always");
  CHECK(restart_of("{condition: on-failure}") == "on-failure");
  CHECK(restart_of("{condition: on-failure, max_attempts: 3}") == "on-failure:3");
  CHECK(restart_of("{condition: on-failure, max_attempts: 0}") == "on-failure");
  CHECK(restart_of("{condition: any, max_attempts: 3}") == "always");
  // docker compose lets deploy.restart_policy win over restart, read before or after it.
  CHECK(restart_of("{condition: on-failure, max_attempts: 2}", "always") == "on-failure:2");
  CHECK(restart_of("{condition: none}", "unless-stopped") == "no");
  // docker compose: no condition is the engine's default, no restart.
  CHECK(restart_of("{delay: 5s}", "always") == "no");
}

TEST_CASE("bind refuses an unknown restart condition at its position") {
  auto s = bind_one(R"(services:
  web:
    deploy:
      restart_policy:
        condition: sometimes
        max_attempts: -1
)");
  REQUIRE_FALSE(s.ok());
  CHECK(format(s.errors()) ==
        "compose.yaml:6:23: services.web.deploy.restart_policy.max_attempts: expected a "
        "non-negative integer, not a number (-1)\n"
        "compose.yaml:5:20: services.web.deploy.restart_policy.condition: invalid restart "
        "condition \"sometimes\": expected none, on-failure or any\n");
}
