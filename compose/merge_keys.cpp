#include "compose/merge_keys.h"

#include <optional>
#include <utility>
#include <vector>

#include "compose/emit.h"

namespace qpod::compose {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// A field of a long-form entry as text ("" if absent).
std::string field_text(const Node& item, std::string_view field) {
  const Node* f = item.find(field);
  return f && f->is_scalar() ? f->scalar : std::string();
}

std::string mount_key(const Node& item, const std::string& folder) {
  if (item.is_scalar()) return folder + "/" + item.scalar;
  if (!item.is_mapping()) return value_key(item);
  std::string target = field_text(item, "target");
  if (target.empty()) return folder + "/" + field_text(item, "source");
  return target.front() == '/' ? target : folder + "/" + target;
}

// The name and the value of "NAME<sep>VALUE", the first separator of `seps` found.
std::pair<std::string, std::optional<std::string>> split_entry(const std::string& s,
                                                               std::string_view seps) {
  std::size_t at = s.find_first_of(seps);
  if (at == std::string::npos) return {s, std::nullopt};
  return {s.substr(0, at), s.substr(at + 1)};
}

}  // namespace

std::string value_key(const Node& item) {
  if (item.is_scalar()) return item.scalar;
  return to_json_text(item, -1);
}

std::string port_key(const Node& item) {
  std::string ip, published, target, protocol = "tcp";
  if (item.is_mapping()) {
    ip = field_text(item, "host_ip");
    published = field_text(item, "published");
    target = field_text(item, "target");
    if (std::string p = field_text(item, "protocol"); !p.empty()) protocol = p;
  } else if (item.is_scalar()) {
    std::string_view s = item.scalar;
    if (std::size_t slash = s.rfind('/'); slash != std::string_view::npos) {
      protocol = s.substr(slash + 1);
      s = s.substr(0, slash);
    }
    std::size_t colon = s.rfind(':');
    target = s.substr(colon == std::string_view::npos ? 0 : colon + 1);
    if (colon != std::string_view::npos) {
      std::string_view host = s.substr(0, colon);  // [IP:]PUBLISHED
      std::size_t ip_end = host.rfind(':');
      published = host.substr(ip_end == std::string_view::npos ? 0 : ip_end + 1);
      if (ip_end != std::string_view::npos) ip = host.substr(0, ip_end);
      if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    }
  } else {
    return value_key(item);
  }
  return ip + "|" + published + "|" + target + "|" + protocol;
}

std::string volume_key(const Node& item) {
  if (item.is_mapping()) return field_text(item, "target");
  if (!item.is_scalar()) return value_key(item);
  auto parts = split(item.scalar, ':');
  return std::string(parts.size() == 1 ? parts[0] : parts[1]);
}

std::string device_key(const Node& item) {
  if (item.is_mapping()) {
    std::string target = field_text(item, "target");
    return target.empty() ? field_text(item, "source") : target;
  }
  return volume_key(item);
}

std::string tmpfs_key(const Node& item) {
  if (!item.is_scalar()) return value_key(item);
  return std::string(split(item.scalar, ':')[0]);
}

std::string secret_key(const Node& item) { return mount_key(item, "/run/secrets"); }
std::string config_key(const Node& item) { return mount_key(item, ""); }

std::string env_file_key(const Node& item) {
  return item.is_mapping() ? field_text(item, "path") : value_key(item);
}

std::string field_key(const Node& item, std::string_view field) {
  std::string text = item.is_mapping() ? field_text(item, field) : std::string();
  return text.empty() ? value_key(item) : text;
}

std::string entry_name(const Node& item) {
  return item.is_scalar() ? split_entry(item.scalar, "=").first : value_key(item);
}

std::string host_name(const Node& item) {
  return item.is_scalar() ? split_entry(item.scalar, "=:").first : value_key(item);
}

Node entries_to_mapping(const Node& list) {
  Node out = Node::mapping(list.mark);
  for (const Node& item : list.items) {
    if (!item.is_scalar()) continue;
    auto [name, value] = split_entry(item.scalar, "=");
    out.set(name, value ? Node::string(*value, item.mark) : Node::null(item.mark), item.mark);
  }
  return out;
}

Node hosts_to_mapping(const Node& list) {
  Node out = Node::mapping(list.mark);
  for (const Node& item : list.items) {
    if (!item.is_scalar()) continue;
    auto [name, value] = split_entry(item.scalar, "=:");
    Node address = Node::string(value.value_or(""), item.mark);
    Node* existing = out.find(name);
    if (!existing) {
      out.set(name, std::move(address), item.mark);
      continue;
    }
    if (!existing->is_sequence()) {
      Node first = std::move(*existing);
      *existing = Node::sequence(first.mark);
      existing->push_back(std::move(first));
    }
    existing->push_back(std::move(address));
  }
  return out;
}

Node names_to_mapping(const Node& list, const Node& value) {
  Node out = Node::mapping(list.mark);
  for (const Node& item : list.items) {
    if (!item.is_scalar()) continue;
    Node v = value;
    v.mark = item.mark;
    out.set(item.scalar, std::move(v), item.mark);
  }
  return out;
}

}  // namespace qpod::compose
