#include "compose/normalize.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "compose/emit.h"
#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

const Variables kEnv{{"HOME", "/home/u"}, {"FROM_ENV", "x"}};

NormalizeContext context(std::string dir = "/proj") {
  NormalizeContext ctx;
  ctx.project_name = "demo";
  ctx.project_dir = std::move(dir);
  ctx.env = &kEnv;
  return ctx;
}

struct Normalized {
  Node root;
  std::string errors;  // formatted, one per line, without the last newline
  // YAML of services.web.<key> (or of the whole tree for an empty key).
  std::string yaml(const char* key = "") const {
    if (!*key) return to_yaml(root);
    const Node* n = root.find("services")->find("web")->find(key);
    return n ? to_yaml(*n) : "(none)\n";
  }
};

Normalized run(std::string_view text, const NormalizeContext& ctx = context()) {
  auto parsed = parse_yaml(text, "c.yaml");
  REQUIRE(parsed.ok());
  Normalized out{std::move(parsed).value(), ""};
  out.errors = format(normalize(out.root, ctx));
  if (!out.errors.empty()) out.errors.pop_back();  // the last newline
  return out;
}

// A temporary project directory with some files in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("qpod-normalize-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
  std::string str() const { return path.string(); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

}  // namespace

TEST_CASE("normalize orders the top level, drops version, names resources") {
  auto r = run(R"(version: "3.8"
x-b: {z: 1, a: 2}
volumes:
  data:
x-a: 1
services:
  web:
    image: nginx
  api:
    x-tag: {b: 1, a: 2}
    image: api
    environment: {B: 1, A: 2}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml() == R"(name: demo
services:
  api:
    environment:
      A: "2"
      B: "1"
    image: api
    networks:
      default: null
    x-tag:
      b: 1
      a: 2
  web:
    image: nginx
    networks:
      default: null
networks:
  default:
    name: demo_default
volumes:
  data:
    name: demo_data
x-a: 1
x-b:
  z: 1
  a: 2
)");
}

TEST_CASE("normalize expands short ports") {
  auto r = run(R"(services:
  web:
    ports:
      - 80
      - "8080:80"
      - "127.0.0.1:8081:81/udp"
      - "[::1]:8082:82"
      - "::1:8083:83"
      - "127.0.0.1::84/sctp"
      - "8000-8001:9000-9001"
      - "7000-7010:7000"
      - "6000-6001"
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("ports") == R"(- mode: ingress
  target: 80
  protocol: tcp
- mode: ingress
  target: 80
  published: "8080"
  protocol: tcp
- mode: ingress
  host_ip: 127.0.0.1
  target: 81
  published: "8081"
  protocol: udp
- mode: ingress
  host_ip: "::1"
  target: 82
  published: "8082"
  protocol: tcp
- mode: ingress
  host_ip: "::1"
  target: 83
  published: "8083"
  protocol: tcp
- mode: ingress
  host_ip: 127.0.0.1
  target: 84
  protocol: sctp
- mode: ingress
  target: 9000
  published: "8000"
  protocol: tcp
- mode: ingress
  target: 9001
  published: "8001"
  protocol: tcp
- mode: ingress
  target: 7000
  published: 7000-7010
  protocol: tcp
- mode: ingress
  target: 6000
  protocol: tcp
- mode: ingress
  target: 6001
  protocol: tcp
)");
}

TEST_CASE("normalize fills long ports and drops duplicates") {
  auto r = run(R"(services:
  web:
    ports:
      - target: "443"
        published: 8443
        name: https
        app_protocol: https
        host_ip: 0.0.0.0
      - {target: 80, mode: host, protocol: udp}
      - "80/udp"
      - 80/udp
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("ports") == R"(- name: https
  mode: ingress
  host_ip: 0.0.0.0
  target: 443
  published: "8443"
  protocol: tcp
  app_protocol: https
- mode: host
  target: 80
  protocol: udp
- mode: ingress
  target: 80
  protocol: udp
)");
}

TEST_CASE("normalize reports bad ports with their position") {
  auto r = run(R"(services:
  web:
    ports:
      - "80:80:80:80"
      - "8000-8010:80-81"
      - "80/xyz"
      - "8080:"
      - 70000
      - {target: http, published: "80-"}
)");
  CHECK(r.errors ==
        "c.yaml:4:9: services.web.ports[0]: invalid port \"80:80:80:80\": expected "
        "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]\n"
        "c.yaml:5:9: services.web.ports[1]: invalid port \"8000-8010:80-81\": host and container "
        "port ranges differ in length\n"
        "c.yaml:6:9: services.web.ports[2]: invalid port \"80/xyz\": unknown protocol \"xyz\" "
        "(expected tcp, udp or sctp)\n"
        "c.yaml:7:9: services.web.ports[3]: invalid port \"8080:\": expected "
        "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]\n"
        "c.yaml:8:9: services.web.ports[4]: invalid port \"70000\": expected "
        "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]\n"
        "c.yaml:9:18: services.web.ports[5].target: invalid target port \"http\": expected a "
        "port number\n"
        "c.yaml:9:35: services.web.ports[5].published: invalid published port \"80-\": expected "
        "PORT or START-END");
}

TEST_CASE("normalize keeps expose as strings") {
  auto r = run(R"(services:
  web:
    expose: [80, "8000-8010/udp", "3000", "x"]
)");
  CHECK(r.yaml("expose") == "- \"80\"\n- 8000-8010/udp\n- \"3000\"\n- x\n");
  CHECK(r.errors ==
        "c.yaml:3:43: services.web.expose[3]: invalid exposed port \"x\": expected "
        "PORT[-END][/PROTOCOL]");
}

TEST_CASE("normalize turns short volumes into mounts") {
  auto r = run(R"(services:
  web:
    volumes:
      - ./a:/b:ro,z
      - /abs:/c:rw,rshared
      - data:/d:nocopy
      - /e
      - ~/x:/y:Z
      - ../up:/u
      - .:/here:cached
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("volumes") == R"(- type: bind
  source: /proj/a
  target: /b
  read_only: true
  bind:
    create_host_path: true
    selinux: z
- type: bind
  source: /abs
  target: /c
  bind:
    create_host_path: true
    propagation: rshared
- type: volume
  source: data
  target: /d
  volume:
    nocopy: true
- type: volume
  target: /e
- type: bind
  source: /home/u/x
  target: /y
  bind:
    create_host_path: true
    selinux: Z
- type: bind
  source: /up
  target: /u
  bind:
    create_host_path: true
- type: bind
  source: /proj
  target: /here
  consistency: cached
  bind:
    create_host_path: true
)");
}

TEST_CASE("normalize completes long volumes") {
  auto r = run(R"(services:
  web:
    volumes:
      - type: bind
        source: ./src
        target: /src
        read_only: "true"
        bind: {propagation: rslave}
      - type: bind
        source: /keep
        target: /keep
        read_only: false
        bind: {create_host_path: false}
      - type: tmpfs
        target: /tmp
        tmpfs: {size: 1g, mode: 1777}
      - type: volume
        source: data
        target: /data
        volume: {nocopy: "true", subpath: sub}
    tmpfs: /run
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("volumes") == R"(- type: bind
  source: /proj/src
  target: /src
  read_only: true
  bind:
    create_host_path: true
    propagation: rslave
- type: bind
  source: /keep
  target: /keep
  bind:
    create_host_path: false
- type: tmpfs
  target: /tmp
  tmpfs:
    mode: 1777
    size: 1073741824
- type: volume
  source: data
  target: /data
  volume:
    nocopy: true
    subpath: sub
)");
  CHECK(r.yaml("tmpfs") == "- /run\n");
}

TEST_CASE("normalize reports bad volumes") {
  auto r = run(R"(services:
  web:
    volumes:
      - a:b:c:d
      - ./a:/b:rx
      - ":/x"
      - type: tmpfs
        target: /t
        tmpfs: {size: lots}
)");
  CHECK(r.errors ==
        "c.yaml:4:9: services.web.volumes[0]: invalid volume \"a:b:c:d\": expected "
        "[SOURCE:]TARGET[:MODE]\n"
        "c.yaml:5:9: services.web.volumes[1]: invalid volume \"./a:/b:rx\": unknown option \"rx\" "
        "(expected ro, rw, z, Z, nocopy or a propagation mode)\n"
        "c.yaml:6:9: services.web.volumes[2]: invalid volume \":/x\": expected "
        "[SOURCE:]TARGET[:MODE]\n"
        "c.yaml:9:23: services.web.volumes[3].tmpfs.size: invalid byte size \"lots\": expected a "
        "number and an optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"");
}

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
                        "/nope.env\" not found (set `required: false` to make it optional)\nc.yaml:6:9: services.api.env_file[0]: env file \"" +
                        dir.str() + "/ok.env\" not found (set `required: false` to make it optional)\nc.yaml:7:9: services.api.env_file[1]: " +
                        "env file \"" + dir.str() + "/gone.env\" not found (set `required: false` to make it optional)");
  CHECK(again.errors ==
        "c.yaml:5:9: services.api.env_file[1]: env file \"" + dir.str() + "/gone.env\" not found (set `required: false` to make it optional)");
}

TEST_CASE("normalize makes labels, annotations, sysctls and build args mappings of strings") {
  auto r = run(R"(services:
  web:
    labels: [b=2, a=1, flag]
    annotations: {x: 1}
    sysctls: [net.core.somaxconn=1024]
    build:
      context: .
      args: [V=1, FROM_ENV, NONE]
      labels: {l: true}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("labels") == "a: \"1\"\nb: \"2\"\nflag: \"\"\n");
  CHECK(r.yaml("annotations") == "x: \"1\"\n");
  CHECK(r.yaml("sysctls") == "net.core.somaxconn: \"1024\"\n");
  CHECK(r.yaml("build") == R"(args:
  FROM_ENV: x
  NONE: null
  V: "1"
context: /proj
dockerfile: Dockerfile
labels:
  l: "true"
)");
}

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

TEST_CASE("normalize rewrites healthchecks") {
  auto shell = run(R"(services:
  web:
    healthcheck:
      test: curl -f http://localhost || exit 1
      interval: 90s
      timeout: 10000ms
      start_period: 1h
      start_interval: 0.5s
      retries: "3"
      disable: false
)");
  CHECK(shell.errors.empty());
  CHECK(shell.yaml("healthcheck") == R"(test:
  - CMD-SHELL
  - "curl -f http://localhost || exit 1"
timeout: 10s
interval: 1m30s
retries: 3
start_period: 1h0m0s
start_interval: 500ms
)");
  auto none = run("services:\n  web:\n    healthcheck: {test: [NONE], interval: 1s}\n");
  CHECK(none.yaml("healthcheck") == "disable: true\n");
  auto off = run("services:\n  web:\n    healthcheck: {disable: true, test: [CMD, x]}\n");
  CHECK(off.yaml("healthcheck") == "disable: true\n");
  auto list = run("services:\n  web:\n    healthcheck: {test: [CMD, curl, x]}\n");
  CHECK(list.yaml("healthcheck") == "test:\n  - CMD\n  - curl\n  - x\n");
}

TEST_CASE("normalize reports bad durations") {
  auto r = run(R"(services:
  web:
    stop_grace_period: 10
    healthcheck:
      interval: 5x
      retries: many
)");
  CHECK(r.errors ==
        "c.yaml:3:24: services.web.stop_grace_period: invalid duration \"10\": expected a number "
        "and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"\n"
        "c.yaml:5:17: services.web.healthcheck.interval: invalid duration \"5x\": expected a "
        "number and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"\n"
        "c.yaml:6:16: services.web.healthcheck.retries: invalid retries \"many\": expected a "
        "non-negative integer");
}

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

TEST_CASE("normalize makes service networks a mapping") {
  auto r = run(R"(services:
  web:
    networks: [front, back]
  api:
    networks:
      back: {aliases: [b], ipv4_address: 10.0.0.2}
      front:
  host:
    network_mode: host
networks:
  front:
  back: {name: custom}
)");
  CHECK(r.yaml("networks") == "back: null\nfront: null\n");
  const Node& services = *r.root.find("services");
  CHECK(to_yaml(*services.find("api")->find("networks")) ==
        "back:\n  aliases:\n    - b\n  ipv4_address: 10.0.0.2\nfront: null\n");
  CHECK(services.find("host")->find("networks") == nullptr);
  CHECK(to_yaml(*r.root.find("networks")) == "back:\n  name: custom\nfront:\n  name: demo_front\n");
}

TEST_CASE("normalize names top-level resources, external ones keep their name") {
  auto r = run(R"(services: {}
networks:
  ext: {external: true}
  old: {external: {name: legacy}}
  given: {name: mine}
volumes:
  v:
  ev: {external: "true"}
secrets:
  s: {file: ./s.txt}
  e: {external: true, name: outside}
configs:
  c: {file: ~/c.conf, labels: [a=b]}
  inline: {content: hi}
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml() == R"(name: demo
services: {}
networks:
  ext:
    external: true
    name: ext
  given:
    name: mine
  old:
    external: true
    name: legacy
volumes:
  ev:
    external: true
    name: ev
  v:
    name: demo_v
secrets:
  e:
    external: true
    name: outside
  s:
    file: /proj/s.txt
    name: demo_s
configs:
  c:
    file: /home/u/c.conf
    labels:
      a: b
    name: demo_c
  inline:
    content: hi
    name: demo_inline
)");
}

TEST_CASE("normalize converts service secrets and configs to mappings") {
  auto r = run(R"(services:
  web:
    secrets: [a, {source: b, target: /b, uid: 100, mode: 0440}]
    configs: [c]
)");
  CHECK(r.yaml("secrets") ==
        "- source: a\n- mode: 0440\n  source: b\n  target: /b\n  uid: \"100\"\n");
  CHECK(r.yaml("configs") == "- source: c\n");
}

TEST_CASE("normalize makes extra_hosts a list of host:ip") {
  auto list = run(R"(services:
  web:
    extra_hosts: ["a=1.2.3.4", "b:5.6.7.8", "v6=[::1]", "v6b:::2"]
)");
  CHECK(list.yaml("extra_hosts") ==
        "- \"a:1.2.3.4\"\n- \"b:5.6.7.8\"\n- \"v6:::1\"\n- \"v6b:::2\"\n");
  auto map = run(R"(services:
  web:
    extra_hosts: {a: 1.2.3.4, m: ["::1", 10.0.0.1]}
)");
  CHECK(map.yaml("extra_hosts") == "- \"a:1.2.3.4\"\n- \"m:::1\"\n- \"m:10.0.0.1\"\n");
  auto bad = run("services:\n  web:\n    extra_hosts: [nohost]\n");
  CHECK(bad.errors ==
        "c.yaml:3:19: services.web.extra_hosts[0]: invalid extra host \"nohost\": expected "
        "HOST=IP or HOST:IP");
}

TEST_CASE("normalize expands ulimits and reports bad ones") {
  auto r = run(R"(services:
  web:
    ulimits:
      nproc: 65535
      nofile: {soft: "20000", hard: 40000}
)");
  CHECK(r.yaml("ulimits") ==
        "nofile:\n  hard: 40000\n  soft: 20000\nnproc:\n  hard: 65535\n  soft: 65535\n");
  auto bad = run(R"(services:
  web:
    ulimits:
      nproc: lots
      nofile: {soft: 20, hard: 10}
      core: {soft: x, hard: 1}
)");
  CHECK(bad.errors ==
        "c.yaml:4:14: services.web.ulimits.nproc: invalid ulimit \"lots\": expected an integer "
        "or a mapping with soft and hard\n"
        "c.yaml:5:15: services.web.ulimits.nofile: soft limit 20 is greater than hard limit 10\n"
        "c.yaml:6:20: services.web.ulimits.core.soft: invalid ulimit \"x\": expected an integer");
}

TEST_CASE("normalize converts byte sizes, numbers stay numbers") {
  auto r = run(R"(services:
  web:
    shm_size: 64m
    mem_limit: 1gb
    mem_reservation: 512
    memswap_limit: -1
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("shm_size") == "67108864\n");
  CHECK(r.yaml("mem_limit") == "1073741824\n");
  CHECK(r.yaml("mem_reservation") == "512\n");
  CHECK(r.yaml("memswap_limit") == "-1\n");
  auto bad = run("services:\n  web:\n    mem_limit: 12q\n");
  CHECK(bad.errors ==
        "c.yaml:3:16: services.web.mem_limit: invalid byte size \"12q\": expected a number and "
        "an optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"");
}

TEST_CASE("normalize makes string-or-list keys lists of strings") {
  auto r = run(R"(services:
  web:
    dns: 8.8.8.8
    dns_search: [a.example]
    cap_add: [NET_ADMIN]
    group_add: [mail, 42]
    profiles: [debug]
    devices: ["/dev/a", {source: /dev/b, target: /dev/c, permissions: r}, {source: /dev/d}]
    tty: "true"
)");
  CHECK(r.yaml("dns") == "- 8.8.8.8\n");
  CHECK(r.yaml("dns_search") == "- a.example\n");
  CHECK(r.yaml("cap_add") == "- NET_ADMIN\n");
  CHECK(r.yaml("group_add") == "- mail\n- \"42\"\n");
  CHECK(r.yaml("profiles") == "- debug\n");
  CHECK(r.yaml("devices") == "- /dev/a\n- \"/dev/b:/dev/c:r\"\n- /dev/d\n");
  CHECK(r.yaml("tty") == "true\n");
}

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

TEST_CASE("normalize without a project name leaves resource names to the including project") {
  NormalizeContext ctx = context();
  ctx.project_name.clear();
  auto r = run("services:\n  web:\n    image: a\nvolumes:\n  v:\n", ctx);
  CHECK(r.yaml() == R"(services:
  web:
    image: a
    networks:
      default: null
networks:
  default: {}
volumes:
  v: {}
)");
}
