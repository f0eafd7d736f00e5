// Normalize, by Compose key: services.*.ports and expose.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

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
