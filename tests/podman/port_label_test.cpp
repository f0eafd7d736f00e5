// The io.qpod.ports label: what a container's service publishes, for `ps -p NAME` alone.
#include "podman/port_label.h"

#include <catch2/catch.hpp>

#include "podman/podman_argv.h"
#include "podman/runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::podman;
using namespace qpod::engine::testing;

namespace {

compose::Port port(std::uint32_t target, const std::string& protocol = "tcp") {
  return {"", "", "", target, protocol, "", "ingress"};
}

}  // namespace

TEST_CASE("port label: sorted, once each, consecutive targets as ranges", "[engine][ps]") {
  CHECK(podman::port_label({}) == "");
  CHECK(podman::port_label({port(9001, "udp"), port(80), port(9000, "udp"), port(80),
                            port(9002, "udp"), port(443), port(53, "udp")}) ==
        "80/tcp,443/tcp,53/udp,9000-9002/udp");
  using Targets = std::set<std::pair<int, std::string>>;
  CHECK(
      parse_port_label("80/tcp,443/tcp,53/udp,9000-9002/udp") ==
      Targets{{80, "tcp"}, {443, "tcp"}, {53, "udp"}, {9000, "udp"}, {9001, "udp"}, {9002, "udp"}});
  // Anything else is skipped, never read as a port.
  CHECK(parse_port_label("x/tcp,80,/udp,0/tcp,65536/tcp,9-3/tcp,8-9x/tcp,80/,,7/sctp") ==
        Targets{{7, "sctp"}});
  // Bounded work on a label qpod did not write: a full range again and again.
  std::string huge;
  for (int i = 0; i < 2000; ++i) huge += "1-65535/tcp,";
  CHECK(parse_port_label(huge).size() == 65535);
}

TEST_CASE("container create: the service's ports as a label, none without ports, hash unchanged",
          "[engine][argv]") {
  auto web = service("web");
  web.ports = {port(80), port(9000, "udp"), port(9001, "udp")};
  auto db = service("db");
  auto p = project("demo", {web, db});
  const std::string with = podman::join_argv(podman::container_create(p, p.services.at("web")));
  CHECK(with.find(" --label io.qpod.ports=80/tcp,9000-9001/udp ") != std::string::npos);
  CHECK(podman::join_argv(podman::container_create(p, p.services.at("db"))).find("io.qpod.ports") ==
        std::string::npos);
  // The config hash is the service's, not the argv's: containers of an older qpod keep theirs.
  CHECK(with.find(" --label io.qpod.config-hash=" + compose::service_hash(p.services.at("web")) +
                  " ") != std::string::npos);
}
