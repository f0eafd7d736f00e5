#include "compose/validate.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

Node yaml(const char* text) {
  auto r = parse_yaml(text, "compose.yaml");
  REQUIRE(r.ok());
  return std::move(r).value();
}

// All diagnostics of a normalized root (and its disabled services), one per line.
std::string check(const char* root, const char* disabled = "{}") {
  return format(validate_project(yaml(root), yaml(disabled)));
}

}  // namespace

TEST_CASE("validate accepts a consistent project") {
  CHECK(check(R"(name: p
services:
  db:
    image: postgres
    networks: {back: null}
    secrets: [{source: pw}]
    volumes: [{type: volume, source: data, target: /var/lib/postgresql}]
    ports: [{mode: ingress, target: 5432, published: "5432", protocol: tcp}]
  web:
    image: nginx
    configs: [{source: conf}]
    depends_on: {db: {condition: service_healthy, required: true, restart: false}}
    links: ["db:database"]
    networks: {back: null, default: null}
    ports:
      - {mode: ingress, target: 80, published: "8080", protocol: tcp}
      - {mode: ingress, target: 80, published: "8080", protocol: udp}
      - {mode: ingress, target: 80, published: "8081", protocol: tcp}
      - {mode: ingress, target: 443, protocol: tcp}
    volumes:
      - {type: bind, source: /srv/www, target: /usr/share/nginx/html}
      - {type: volume, target: /anonymous}
    volumes_from: ["db:ro", "container:legacy"]
  side:
    build: {context: /src/side}
    network_mode: service:web
networks: {back: {name: p_back}, default: {name: p_default}}
volumes: {data: {name: p_data}}
secrets: {pw: {name: p_pw, file: /pw}}
configs: {conf: {name: p_conf, content: x}}
)") == "");
}

TEST_CASE("validate reports references to undefined services and to itself") {
  CHECK(check(R"(services:
  web:
    image: nginx
    depends_on:
      dbb: {condition: service_started, required: true}
      web: {condition: service_started, required: true}
    links: [cache, "cache:c"]
    network_mode: service:nope
    volumes_from: [store, "store:ro", "container:ok"]
)") == "compose.yaml:5:7: services.web.depends_on.dbb: service \"web\" depends on undefined "
       "service \"dbb\"\n"
       "compose.yaml:6:7: services.web.depends_on.web: service \"web\" depends on itself\n"
       "compose.yaml:7:13: services.web.links[0]: service \"web\" links to undefined service "
       "\"cache\"\n"
       "compose.yaml:7:20: services.web.links[1]: service \"web\" links to undefined service "
       "\"cache\"\n"
       "compose.yaml:8:19: services.web.network_mode: service \"web\" uses the network of "
       "undefined service \"nope\"\n"
       "compose.yaml:9:20: services.web.volumes_from[0]: service \"web\" mounts volumes from "
       "undefined service \"store\"\n"
       "compose.yaml:9:27: services.web.volumes_from[1]: service \"web\" mounts volumes from "
       "undefined service \"store\"\n");
}

TEST_CASE("validate accepts the short depends_on syntax too") {
  CHECK(check("services:\n  a:\n    depends_on: [b]\n    image: x\n  b: {image: x}\n") == "");
  CHECK(check("services:\n  a:\n    depends_on: [c]\n    image: x\n") ==
        "compose.yaml:3:18: services.a.depends_on[0]: service \"a\" depends on undefined service "
        "\"c\"\n");
}

TEST_CASE("validate names the profile that enables a disabled dependency") {
  const char* disabled = "db: {image: postgres, profiles: [debug, full]}\nlog: {profiles: [x]}\n";
  CHECK(check(R"(services:
  web:
    depends_on:
      db: {condition: service_started, required: true}
      log: {condition: service_started, required: false}
    image: nginx
    links: [log]
)",
              disabled) ==
        "compose.yaml:4:7: services.web.depends_on.db: service \"web\" depends on service \"db\", "
        "which is disabled: enable it with --profile debug or --profile full\n"
        "compose.yaml:7:13: services.web.links[0]: service \"web\" links to service \"log\", "
        "which is disabled: enable it with --profile x\n");
}

TEST_CASE("validate checks service names, active and disabled") {
  CHECK(check("services:\n  -web: {image: x}\n  ok_1.a-b: {image: x}\n  \"my app\": {image: x}\n",
              "_x: {}\n") ==
        "compose.yaml:2:3: services.-web: invalid service name \"-web\": expected "
        "[a-zA-Z0-9][a-zA-Z0-9_.-]*\n"
        "compose.yaml:4:3: services.my app: invalid service name \"my app\": expected "
        "[a-zA-Z0-9][a-zA-Z0-9_.-]*\n"
        "compose.yaml:1:1: services._x: invalid service name \"_x\": expected "
        "[a-zA-Z0-9][a-zA-Z0-9_.-]*\n");
}

TEST_CASE("validate reports undefined networks, volumes, secrets and configs") {
  CHECK(check(R"(services:
  web:
    build: {context: /src}
    configs: [{source: conf}, nginx]
    networks: {front: null, default: null}
    secrets: [{source: key, target: /k}]
    volumes:
      - {type: volume, source: data, target: /data}
      - {type: bind, source: /srv, target: /srv}
      - cache:/cache
      - ./local:/local
networks: {}
)") == "compose.yaml:4:24: services.web.configs[0].source: service \"web\" uses undefined config "
       "\"conf\"\n"
       "compose.yaml:4:31: services.web.configs[1]: service \"web\" uses undefined config "
       "\"nginx\"\n"
       "compose.yaml:5:16: services.web.networks.front: service \"web\" uses undefined network "
       "\"front\"\n"
       "compose.yaml:6:24: services.web.secrets[0].source: service \"web\" uses undefined secret "
       "\"key\"\n"
       "compose.yaml:8:32: services.web.volumes[0].source: service \"web\" uses undefined volume "
       "\"data\": define it under the top-level volumes\n"
       "compose.yaml:10:9: services.web.volumes[2]: service \"web\" uses undefined volume "
       "\"cache\": define it under the top-level volumes\n");
}

TEST_CASE("validate rejects network_mode with networks, shared container names, extends") {
  CHECK(check(R"(services:
  a:
    container_name: app
    extends: {service: b}
    image: x
    network_mode: host
    networks: {default: null}
  b:
    container_name: app
    image: x
  c:
    image: x
    network_mode: none
    networks: {}
)") == "compose.yaml:4:5: services.a.extends: extends was not resolved\n"
       "compose.yaml:6:19: services.a.network_mode: service \"a\" sets both network_mode and "
       "networks: with network_mode it joins no network\n"
       "compose.yaml:9:21: services.b.container_name: container name \"app\" is already used by "
       "service \"a\"\n");
}

TEST_CASE("validate_pod rejects ports that clash in the one pod, loading accepts them") {
  const char* clashing = R"(services:
  a:
    image: x
    ports:
      - {target: 80, published: "8080", protocol: tcp}
      - {target: 81, published: "8080", protocol: tcp}
      - {target: 82, published: "9000-9010", protocol: tcp}
      - {target: 83, published: "8080", protocol: udp}
      - {target: 84, host_ip: 127.0.0.1, published: "7000"}
      - {target: 85, host_ip: 127.0.0.2, published: "7000"}
  b:
    image: x
    ports:
      - {target: 80, published: "18080", protocol: tcp}
      - {target: 90, published: "9005"}
      - {target: 91, host_ip: 0.0.0.0, published: "7000"}
      - {target: 92, published: "80x"}
)";
  CHECK(check(clashing) == "");
  CHECK(format(validate_pod(yaml(clashing))) ==
        "compose.yaml:6:9: services.a.ports[1]: host port 8080/tcp is already published by "
        "service \"a\" (services.a.ports[0]): qpod runs all services in one pod, so a host port "
        "can be published only once\n"
        "compose.yaml:14:9: services.b.ports[0]: container port 80/tcp is also published by "
        "service \"a\" (services.a.ports[0]): qpod runs all services in one pod, which has one "
        "network namespace, so only one container can listen on a port\n"
        "compose.yaml:15:9: services.b.ports[1]: host port 9005/tcp is already published by "
        "service \"a\" (services.a.ports[2]): qpod runs all services in one pod, so a host port "
        "can be published only once\n"
        "compose.yaml:16:9: services.b.ports[2]: host port 7000/tcp is already published by "
        "service \"a\" (services.a.ports[5]): qpod runs all services in one pod, so a host port "
        "can be published only once\n"
        "compose.yaml:17:33: services.b.ports[3].published: invalid published port \"80x\": "
        "expected a port (1-65535) or a range such as \"8080-8081\"\n");
}

TEST_CASE("validate tolerates an empty project") {
  CHECK(check("{}") == "");
  CHECK(check("services: {}\n") == "");
  CHECK(check("services:\n  a:\n") == "");
}

TEST_CASE("validate wants an image or a build, and no scaled container_name") {
  CHECK(check(R"(services:
  a: {container_name: one, image: x, scale: 2}
  b: {container_name: two, image: x, deploy: {replicas: 3}}
  c: {container_name: three, image: x, scale: 1}
  d: {command: [x]}
)") == "compose.yaml:2:45: services.a.scale: service \"a\" sets container_name \"one\", so it "
       "cannot run 2 containers\n"
       "compose.yaml:3:57: services.b.deploy.replicas: service \"b\" sets container_name "
       "\"two\", so it cannot run 3 containers\n"
       "compose.yaml:5:3: services.d: service \"d\" has neither an image nor a build section\n");
}

TEST_CASE("validate: an image is a reference, never a flag") {
  CHECK(check(R"(services:
  a: {image: nginx}
  b: {image: "docker.io/library/nginx:1.25-alpine"}
  c: {image: "localhost:5000/team/app_x.y:v1.0"}
  d: {image: "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
  e: {image: "Registry.Example.com/a/b:latest"}
)") == "");
  CHECK(check(R"(services:
  a: {image: "--privileged"}
  b: {image: "-v/:/host"}
  c: {image: "Nginx"}
  d: {image: "nginx latest"}
  e: {image: ""}
  f: {build: {context: /src, tags: ["ok:1", "--rm"]}}
  g: {build: {context: "--file=http://x/y"}}
)") == "compose.yaml:2:14: services.a.image: invalid image reference \"--privileged\": an image "
       "reference cannot start with '-'\n"
       "compose.yaml:3:14: services.b.image: invalid image reference \"-v/:/host\": an image "
       "reference cannot start with '-'\n"
       "compose.yaml:4:14: services.c.image: invalid image reference \"Nginx\": expected "
       "[REGISTRY[:PORT]/]NAME[:TAG][@DIGEST], the name in lower case\n"
       "compose.yaml:5:14: services.d.image: invalid image reference \"nginx latest\": expected "
       "[REGISTRY[:PORT]/]NAME[:TAG][@DIGEST], the name in lower case\n"
       "compose.yaml:6:14: services.e.image: invalid image reference \"\": an image reference "
       "cannot be empty\n"
       "compose.yaml:7:45: services.f.build.tags[1]: invalid image reference \"--rm\": an image "
       "reference cannot start with '-'\n"
       "compose.yaml:8:24: services.g.build.context: invalid build context "
       "\"--file=http://x/y\": a context cannot start with '-'\n");
  // A QPOD template's environment image too.
  CHECK(check("services: {}\nx-qpod: {image: \"--rm\"}\n") ==
        "compose.yaml:2:17: x-qpod.image: invalid image reference \"--rm\": an image reference "
        "cannot start with '-'\n");
}

TEST_CASE("validate: names podman takes as arguments cannot be flags") {
  CHECK(check(R"(services:
  a: {image: x, container_name: "-x-ab"}
volumes: {data: {name: "--opt=o=bind"}}
networks: {back: {name: "-net"}}
)") == "compose.yaml:2:33: services.a.container_name: invalid container name \"-x-ab\": "
       "expected [a-zA-Z0-9][a-zA-Z0-9_.-]*\n"
       "compose.yaml:3:24: volumes.data.name: invalid name \"--opt=o=bind\": expected "
       "[a-zA-Z0-9][a-zA-Z0-9_.-]*\n"
       "compose.yaml:4:25: networks.back.name: invalid name \"-net\": expected "
       "[a-zA-Z0-9][a-zA-Z0-9_.-]*\n");
}

TEST_CASE("validate: extra_hosts, hostname and aliases are one host entry each") {
  CHECK(check(R"(services:
  a:
    image: x
    hostname: db.local
    extra_hosts: ["gw:host-gateway", "v4:10.0.0.1", "v6:::1", "v6b:2001:db8::1"]
    links: ["b:cache_1"]
    networks: {back: {aliases: [api, api.internal]}}
    dns: [8.8.8.8, "2001:4860:4860::8888"]
    dns_search: example.com
    dns_opt: ["ndots:2", rotate, edns0, single-request, "timeout:30"]
  b: {image: x}
networks: {back: {name: p_back}}
)") == "");
  CHECK(check(R"(services:
  a:
    image: x
    dns: ["8.8.8.8,1.1.1.1"]
    dns_search: ["a.com,b.com"]
    dns_opt: ["ndots:2,rotate", "-x", "ndots:"]
)") == "compose.yaml:4:11: services.a.dns[0]: invalid DNS server \"8.8.8.8,1.1.1.1\": expected "
       "an IPv4 or IPv6 address\n"
       "compose.yaml:5:18: services.a.dns_search[0]: invalid DNS search domain \"a.com,b.com\": "
       "expected a host name (letters, digits, '.', '-' and '_', starting with a letter or "
       "digit)\n"
       "compose.yaml:6:15: services.a.dns_opt[0]: invalid DNS option \"ndots:2,rotate\": "
       "expected NAME or NAME:NUMBER (as in resolv.conf: ndots:2, rotate)\n"
       "compose.yaml:6:33: services.a.dns_opt[1]: invalid DNS option \"-x\": expected NAME or "
       "NAME:NUMBER (as in resolv.conf: ndots:2, rotate)\n"
       "compose.yaml:6:39: services.a.dns_opt[2]: invalid DNS option \"ndots:\": expected NAME "
       "or NAME:NUMBER (as in resolv.conf: ndots:2, rotate)\n");
  CHECK(check(R"(services:
  a:
    image: x
    hostname: "h,evil:1.2.3.4"
    extra_hosts:
      - "a,b:1.2.3.4"
      - "ok:1.2.3.4;5.6.7.8"
      - "ok2:1.2.3.4,evil:5.6.7.8"
      - "-x:1.2.3.4"
      - "ok3:not-an-ip"
    links: ["b:x y"]
    networks: {back: {aliases: ["--alias"]}}
  b: {image: x}
networks: {back: {name: p_back}}
)") == "compose.yaml:4:15: services.a.hostname: invalid hostname \"h,evil:1.2.3.4\": expected a "
       "host name (letters, digits, '.', '-' and '_', starting with a letter or digit)\n"
       "compose.yaml:6:9: services.a.extra_hosts[0]: invalid extra host name \"a,b\": expected a "
       "host name (letters, digits, '.', '-' and '_', starting with a letter or digit)\n"
       "compose.yaml:7:9: services.a.extra_hosts[1]: invalid extra host address "
       "\"1.2.3.4;5.6.7.8\" for \"ok\": expected an IPv4 or IPv6 address (or host-gateway)\n"
       "compose.yaml:8:9: services.a.extra_hosts[2]: invalid extra host address "
       "\"1.2.3.4,evil:5.6.7.8\" for \"ok2\": expected an IPv4 or IPv6 address (or "
       "host-gateway)\n"
       "compose.yaml:9:9: services.a.extra_hosts[3]: invalid extra host name \"-x\": expected a "
       "host name (letters, digits, '.', '-' and '_', starting with a letter or digit)\n"
       "compose.yaml:10:9: services.a.extra_hosts[4]: invalid extra host address \"not-an-ip\" "
       "for \"ok3\": expected an IPv4 or IPv6 address (or host-gateway)\n"
       "compose.yaml:11:13: services.a.links[0]: invalid link alias \"x y\": expected a host "
       "name\n"
       "compose.yaml:12:33: services.a.networks.back.aliases[0]: invalid network alias "
       "\"--alias\": expected a host name (letters, digits, '.', '-' and '_', starting with a "
       "letter or digit)\n");
}

TEST_CASE("validate_pod finds the same host port clashes as comparing every pair") {
  // Ranges on a few addresses (any, two given ones) and protocols, from a fixed pseudo-random
  // sequence: the clashes validate_pod reports (by key path) must be those a comparison of each
  // port with every earlier accepted one finds.
  struct Port {
    std::uint32_t lo, hi;
    std::string ip, protocol;
  };
  std::uint32_t seed = 12345;
  auto next = [&](std::uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  const char* ips[] = {"", "0.0.0.0", "::", "10.0.0.1", "10.0.0.2"};
  const char* protocols[] = {"tcp", "udp"};
  std::vector<Port> ports;
  std::string text = "services:\n  a:\n    image: x\n    ports:\n";
  for (int i = 0; i < 400; ++i) {
    Port p;
    p.lo = 1 + next(300);
    p.hi = p.lo + (next(4) == 0 ? next(40) : 0);
    p.ip = ips[next(5)];
    p.protocol = protocols[next(2)];
    text += "      - {target: " + std::to_string(i + 1) + ", published: \"" + std::to_string(p.lo) +
            (p.hi > p.lo ? "-" + std::to_string(p.hi) : "") + "\", protocol: " + p.protocol +
            (p.ip.empty() ? "" : ", host_ip: \"" + p.ip + "\"") + "}\n";
    ports.push_back(p);
  }
  auto any = [](const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; };
  std::set<std::string> expected;
  std::vector<Port> accepted;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const Port& p = ports[i];
    const bool clash = std::any_of(accepted.begin(), accepted.end(), [&](const Port& o) {
      return o.protocol == p.protocol && o.lo <= p.hi && p.lo <= o.hi &&
             (o.ip == p.ip || any(o.ip) || any(p.ip));
    });
    if (clash)
      expected.insert("services.a.ports[" + std::to_string(i) + "]");
    else
      accepted.push_back(p);
  }
  std::set<std::string> found;
  for (const auto& d : validate_pod(yaml(text.c_str()))) {
    CHECK(d.message.find("host port ") == 0);
    found.insert(d.path);
  }
  CHECK(expected.size() > 50);
  CHECK(found == expected);
}
