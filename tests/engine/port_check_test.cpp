#include "engine/port_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>

#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

// A socket of the test's own on 127.0.0.1 (a free port the kernel picks), as another program
// holding a port would be; closed when it goes out of scope.
struct Held {
  int fd = -1, port = 0;
  explicit Held(int type) {
    fd = ::socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    if (type == SOCK_STREAM) REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = ntohs(a.sin_port);
  }
  ~Held() { release(); }
  void release() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
};

// Service `name` publishing `published` on 127.0.0.1, its entry at compose.yaml:7:9.
compose::Service publishing(const std::string& name, const std::string& published,
                            const std::string& protocol = "tcp") {
  auto s = service(name);
  compose::Mark at{std::make_shared<const std::string>("compose.yaml"), 7, 9};
  auto entry = compose::Node::mapping(at);
  entry.set("target", compose::Node::number(80, at));
  entry.set("published", compose::Node::string(published, at));
  entry.set("host_ip", compose::Node::string("127.0.0.1", at));
  entry.set("protocol", compose::Node::string(protocol, at));
  auto ports = compose::Node::sequence(at);
  ports.push_back(entry);
  s.node = compose::Node::mapping();
  s.node.set("ports", ports);
  return s;
}

}  // namespace

TEST_CASE("port check: a host port something else listens on names the service and the entry",
          "[engine][ports]") {
  Held tcp(SOCK_STREAM);
  std::string port = std::to_string(tcp.port);
  auto p = project("demo", {publishing("web", port), service("db")});
  auto errors = check_host_ports(p, {});
  REQUIRE(errors.size() == 1);
  CHECK(format(errors[0]) == "compose.yaml:7:9: services.web.ports[0]: service web: port " + port +
                                 "/tcp is already in use");
  // The project's own pod holds it: that pod goes before the new one is made.
  CHECK(check_host_ports(p, {{"", tcp.port, "tcp"}}).empty());
  CHECK_FALSE(check_host_ports(p, {{"", tcp.port, "udp"}}).empty());
  tcp.release();
  CHECK(check_host_ports(p, {}).empty());
}

TEST_CASE("port check: udp, and ranges", "[engine][ports]") {
  Held udp(SOCK_DGRAM);
  std::string port = std::to_string(udp.port);
  auto p = project("demo", {publishing("dns", port, "udp")});
  auto errors = check_host_ports(p, {});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "service dns: port " + port + "/udp is already in use");
  CHECK(check_host_ports(project("demo", {publishing("dns", port, "tcp")}), {}).empty());
  // A range holding the port: one error for the entry.
  auto ranged =
      project("demo", {publishing("dns", std::to_string(udp.port - 1) + "-" + port, "udp")});
  CHECK(check_host_ports(ranged, {}).size() == 1);
}

TEST_CASE("port check: a host_ip that is not this host's", "[engine][ports]") {
  CHECK(probe_port("192.0.2.1", 8080, "tcp") == EADDRNOTAVAIL);  // TEST-NET-1
  CHECK(probe_port("not-an-ip", 8080, "tcp") == EADDRNOTAVAIL);
}
