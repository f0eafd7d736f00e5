#include "engine/port_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "compose/tree.h"
#include "compose/validate.h"

namespace qpod::engine {
namespace {

// Closes the socket however the probe ends.
struct Socket {
  int fd;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

std::string scalar(const compose::Node& port, const char* key) {
  const compose::Node* n = port.find(key);
  return n && n->is_scalar() ? n->scalar : std::string();
}

std::string reason(int err, const std::string& ip, int port, const std::string& protocol) {
  std::string what = "port " + std::to_string(port) + "/" + protocol;
  if (err == EADDRINUSE) return what + " is already in use";
  if (err == EADDRNOTAVAIL) return "host_ip " + ip + " is not an address of this host";
  return what + " cannot be bound: " + std::strerror(err);
}

}  // namespace

int probe_port(const std::string& ip_in, int port, const std::string& protocol) {
  std::string ip = ip_in;
  if (ip.size() > 1 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  int type = protocol == "udp" ? SOCK_DGRAM : SOCK_STREAM;
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto p16 = htons(static_cast<std::uint16_t>(port));
  if (ip.find(':') != std::string::npos) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&addr);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = p16;
    if (::inet_pton(AF_INET6, ip.c_str(), &a6->sin6_addr) != 1) return EADDRNOTAVAIL;
    len = sizeof(sockaddr_in6);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&addr);
    a4->sin_family = AF_INET;
    a4->sin_port = p16;
    if (ip.empty())
      a4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (::inet_pton(AF_INET, ip.c_str(), &a4->sin_addr) != 1)
      return EADDRNOTAVAIL;
    len = sizeof(sockaddr_in);
  }
  Socket s{::socket(addr.ss_family, type | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) return errno;
  // As podman's own listener (Go sets SO_REUSEADDR on TCP): a port left in TIME_WAIT is free.
  int on = 1;
  if (type == SOCK_STREAM) ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) return errno;
  return 0;
}

Diagnostics check_host_ports(const compose::Project& p, const std::vector<HostPort>& held) {
  Diagnostics errors;
  // Looked up once per published port: a set, as a range may publish thousands.
  std::set<std::pair<int, std::string>> held_ports;
  for (const auto& h : held) held_ports.emplace(h.port, h.protocol);
  for (const auto& [name, s] : p.services) {  // the pod publishes every service's ports
    const compose::Node* ports = s.node.find("ports");
    if (!ports || !ports->is_sequence()) continue;
    for (std::size_t i = 0; i < ports->size(); ++i) {
      const compose::Node& port = ports->items[i];
      if (!port.is_mapping()) continue;
      std::string protocol = scalar(port, "protocol");
      if (protocol.empty()) protocol = "tcp";
      if (protocol != "tcp" && protocol != "udp") continue;
      auto range = compose::parse_port_range(scalar(port, "published"));
      if (!range) continue;  // none (a random port) or invalid (validation said so)
      std::string ip = scalar(port, "host_ip");
      for (auto n = range->first; n <= range->second; ++n) {
        int number = static_cast<int>(n);
        if (held_ports.count({number, protocol})) continue;
        int err = probe_port(ip, number, protocol);
        if (err == 0 || err == EAFNOSUPPORT) continue;  // no IPv6 here: podman would say so
        errors.push_back(compose::error_at(
            port,
            compose::index_path(compose::child_path(compose::child_path("services", name), "ports"),
                                i),
            "service " + name + ": " + reason(err, ip, number, protocol)));
        break;  // one error per entry
      }
    }
  }
  return errors;
}

}  // namespace qpod::engine
