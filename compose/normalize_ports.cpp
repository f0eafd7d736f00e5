// ports: "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]" strings, numbers and mappings to one mapping
// per container port; expose: "PORT[-END][/PROTOCOL]" strings.
#include <arpa/inet.h>

#include <cstdint>
#include <variant>

#include "compose/normalize_detail.h"

namespace qpod::compose::detail {
namespace {

constexpr const char* kPortSyntax = "expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL]";

struct PortRange {
  std::uint32_t start = 0, end = 0;
  std::uint32_t size() const { return end - start + 1; }
};

std::optional<std::uint32_t> parse_port(std::string_view s, std::uint32_t min) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v < min || v > 65535) return std::nullopt;
  return v;
}

// "8080" or "8000-8010".
std::optional<PortRange> parse_range(std::string_view s, std::uint32_t min) {
  auto dash = s.find('-');
  auto start = parse_port(s.substr(0, dash), min);
  if (!start) return std::nullopt;
  if (dash == std::string_view::npos) return PortRange{*start, *start};
  auto end = parse_port(s.substr(dash + 1), min);
  if (!end || *end < *start) return std::nullopt;
  return PortRange{*start, *end};
}

bool is_protocol(std::string_view p) { return p == "tcp" || p == "udp" || p == "sctp"; }

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

Node port_entry(const std::string& host_ip, std::uint32_t target, const std::string& published,
                const std::string& protocol, const Mark& mark) {
  Node m = Node::mapping(mark);
  if (!host_ip.empty()) m.set("host_ip", Node::string(host_ip, mark));
  m.set("mode", Node::string("ingress", mark));
  m.set("protocol", Node::string(protocol, mark));
  if (!published.empty()) m.set("published", Node::string(published, mark));
  m.set("target", Node::number(target, mark));
  return m;
}

// The entries of one short-syntax port, or why it is invalid; at most `most` entries.
std::variant<std::vector<Node>, std::string> parse_short(const std::string& text, const Mark& mark,
                                                         std::size_t most) {
  std::string spec = text, protocol = "tcp";
  if (auto slash = spec.rfind('/'); slash != std::string::npos) {
    protocol = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
    if (!is_protocol(protocol))
      return "unknown protocol \"" + protocol + "\" (expected tcp, udp or sctp)";
  }
  std::string ip, host, container;
  if (!spec.empty() && spec[0] == '[') {  // "[::1]:8080:80"
    auto close = spec.find("]:");
    if (close == std::string::npos) return std::string(kPortSyntax);
    ip = spec.substr(1, close - 1);
    std::string rest = spec.substr(close + 2);
    auto colon = rest.find(':');
    if (colon == std::string::npos) return std::string(kPortSyntax);
    host = rest.substr(0, colon);
    container = rest.substr(colon + 1);
  } else {
    auto last = spec.rfind(':');
    container = last == std::string::npos ? spec : spec.substr(last + 1);
    if (last != std::string::npos) {
      std::string rest = spec.substr(0, last);
      auto prev = rest.rfind(':');
      host = prev == std::string::npos ? rest : rest.substr(prev + 1);
      if (prev != std::string::npos) ip = rest.substr(0, prev);
      if (prev == std::string::npos && host.empty()) return std::string(kPortSyntax);
    }
  }
  if (!ip.empty() && !is_ip(ip)) return std::string(kPortSyntax);
  auto target = parse_range(container, 1);
  if (!target) return std::string(kPortSyntax);
  std::optional<PortRange> published;
  if (!host.empty()) {
    published = parse_range(host, 0);
    if (!published) return std::string(kPortSyntax);
  }
  if (target->size() > most)
    return "the project's ports expand to more than " + std::to_string(kMaxPorts) +
           " entries (a range is one entry a port)";
  std::vector<Node> out;
  if (!published) {
    for (auto p = target->start; p <= target->end; ++p)
      out.push_back(port_entry(ip, p, "", protocol, mark));
  } else if (published->size() == target->size()) {
    for (std::uint32_t i = 0; i < target->size(); ++i)
      out.push_back(
          port_entry(ip, target->start + i, std::to_string(published->start + i), protocol, mark));
  } else if (target->size() == 1) {
    // A host range for one container port: the runtime picks a free one in the range.
    out.push_back(port_entry(ip, target->start, host, protocol, mark));
  } else {
    return std::string("host and container port ranges differ in length");
  }
  return out;
}

void normalize_long(Node& port, const std::string& path, Normalizer& nz) {
  if (!port.find("mode")) port.set("mode", Node::string("ingress", port.mark));
  if (!port.find("protocol")) port.set("protocol", Node::string("tcp", port.mark));
  if (Node* target = port.find("target"); target && target->is_scalar()) {
    auto v = parse_port(target->scalar, 1);
    if (v)
      *target = Node::number(*v, target->mark);
    else
      nz.error(*target, child_path(path, "target"),
               "invalid target port \"" + target->scalar + "\": expected a port number");
  }
  if (Node* published = port.find("published"); published && published->is_scalar()) {
    if (parse_range(published->scalar, 0))
      *published = Node::string(published->scalar, published->mark);
    else
      nz.error(*published, child_path(path, "published"),
               "invalid published port \"" + published->scalar + "\": expected PORT or START-END");
  }
}

}  // namespace

void normalize_ports(Node& ports, const std::string& path, Normalizer& nz) {
  if (!ports.is_sequence()) return;
  Node out = Node::sequence(ports.mark);
  for (std::size_t i = 0; i < ports.items.size(); ++i) {
    Node& item = ports.items[i];
    const std::string p = index_path(path, i);
    if (item.is_mapping()) {
      if (nz.ports_left() == 0) {
        nz.error(item, p,
                 "the project's ports expand to more than " + std::to_string(kMaxPorts) +
                     " entries (a range is one entry a port)");
        continue;
      }
      normalize_long(item, p, nz);
      out.push_back(std::move(item));
      nz.take_ports(1);
      continue;
    }
    if (!item.is_scalar()) continue;
    auto parsed = parse_short(item.scalar, item.mark, nz.ports_left());
    if (auto* why = std::get_if<std::string>(&parsed)) {
      nz.error(item, p, "invalid port \"" + item.scalar + "\": " + *why);
      continue;
    }
    auto& entries = std::get<std::vector<Node>>(parsed);
    nz.take_ports(entries.size());
    for (auto& entry : entries) out.push_back(std::move(entry));
  }
  dedupe(out);
  ports = std::move(out);
}

void normalize_expose(Node& expose, const std::string& path, Normalizer& nz) {
  if (!expose.is_sequence()) return;
  for (std::size_t i = 0; i < expose.items.size(); ++i) {
    Node& item = expose.items[i];
    if (!item.is_scalar()) continue;
    std::string_view s = item.scalar;
    auto slash = s.find('/');
    bool ok = parse_range(s.substr(0, slash), 1).has_value() &&
              (slash == std::string_view::npos || is_protocol(s.substr(slash + 1)));
    if (!ok)
      nz.error(item, index_path(path, i),
               "invalid exposed port \"" + item.scalar + "\": expected PORT[-END][/PROTOCOL]");
    item = to_string_node(item);
  }
  dedupe(expose);
}

}  // namespace qpod::compose::detail
