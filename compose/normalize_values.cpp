// Shared helpers of normalization, and the small value conversions (durations, byte sizes,
// commands, ulimits, extra_hosts, secret and config references).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "compose/normalize_detail.h"
#include "compose/shell_split.h"
#include "compose/units.h"

namespace qpod::compose::detail {

void Normalizer::error(const Node& at, const std::string& path, std::string message) {
  errors_.push_back(error_at(at, path, std::move(message)));
}

const std::string* Normalizer::env(const std::string& name) const {
  if (!ctx_.env) return nullptr;
  auto it = ctx_.env->find(name);
  return it == ctx_.env->end() ? nullptr : &it->second;
}

std::string Normalizer::host_path(const std::string& path) const {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const std::string* home = env("HOME");
    if (!home || home->empty()) return path;
    return path == "~" ? *home : join_path(*home, path.substr(2));
  }
  if (is_absolute_path(path) || !ctx_.resolve_paths || ctx_.project_dir.empty()) return path;
  return join_path(ctx_.project_dir, path);
}

std::string Normalizer::project_file(const std::string& path) const {
  std::string p = host_path(path);
  if (is_absolute_path(p) || ctx_.project_dir.empty()) return p;
  return join_path(ctx_.project_dir, p);
}

std::string join_path(const std::string& base, const std::string& path) {
  std::string out = (std::filesystem::path(base) / path).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool is_absolute_path(std::string_view path) { return !path.empty() && path[0] == '/'; }

bool is_remote_context(std::string_view context) {
  return context.find("://") != std::string_view::npos || context.rfind("git@", 0) == 0 ||
         context.rfind("github.com/", 0) == 0 || context.rfind("service:", 0) == 0 ||
         context.rfind("target:", 0) == 0;
}

std::optional<bool> to_bool(const Node& n) {
  if (!n.is_scalar()) return std::nullopt;
  if (auto b = n.as_bool()) return b;
  std::string lower = n.scalar;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

Node to_string_node(const Node& n) {
  if (!n.is_scalar()) return n;
  return Node::string(n.scalar, n.mark);
}

void normalize_bool(Node& n, const std::string& path, Normalizer& nz) {
  if (auto b = to_bool(n)) {
    n = Node::boolean(*b, n.mark);
  } else if (n.is_scalar()) {
    nz.error(n, path, "invalid boolean \"" + n.scalar + "\": expected true or false");
  }
}

KeyIndex::KeyIndex(Node& mapping) : mapping_(mapping) {}

Node* KeyIndex::find(const std::string& key) {
  if (index_.empty() && mapping_.keys.size() < kScanUpTo) return mapping_.find(key);
  if (index_.empty())
    for (std::size_t i = 0; i < mapping_.keys.size(); ++i) index_.emplace(mapping_.keys[i].name, i);
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &mapping_.items[it->second];
}

void KeyIndex::set(std::string key, Node value, Mark key_mark) {
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return;
  }
  if (!index_.empty()) index_.emplace(key, mapping_.keys.size());
  mapping_.keys.push_back(Key{std::move(key), std::move(key_mark)});
  mapping_.items.push_back(std::move(value));
}

Node string_map(const Node& n, NoValue no_value, const Normalizer& nz) {
  Node out = Node::mapping(n.mark);
  KeyIndex keys(out);
  auto no_value_node = [&](const std::string& name, const Mark& mark) {
    if (no_value == NoValue::Empty) return Node::string("", mark);
    if (no_value == NoValue::FromEnv)
      if (const std::string* v = nz.env(name)) return Node::string(*v, mark);
    return Node::null(mark);
  };
  if (n.is_mapping()) {
    for (std::size_t i = 0; i < n.keys.size(); ++i) {
      const Node& v = n.items[i];
      Node value = v.is_null() ? no_value_node(n.keys[i].name, v.mark) : to_string_node(v);
      keys.set(n.keys[i].name, std::move(value), n.keys[i].mark);
    }
  } else if (n.is_sequence()) {
    for (const Node& item : n.items) {
      if (!item.is_scalar()) continue;  // the schema allows strings only
      auto eq = item.scalar.find('=');
      if (eq == std::string::npos) {
        keys.set(item.scalar, no_value_node(item.scalar, item.mark), item.mark);
      } else {
        keys.set(item.scalar.substr(0, eq), Node::string(item.scalar.substr(eq + 1), item.mark),
                 item.mark);
      }
    }
  } else {
    return n;
  }
  return out;
}

Node string_list(const Node& n) {
  if (n.is_scalar()) {
    Node out = Node::sequence(n.mark);
    out.push_back(to_string_node(n));
    return out;
  }
  if (!n.is_sequence()) return n;
  Node out = Node::sequence(n.mark);
  for (const Node& item : n.items) out.push_back(to_string_node(item));
  return out;
}

namespace {

// Equal nodes (Node::operator==: marks aside) have equal hashes.
std::size_t value_hash(const Node& n) {
  std::size_t h = std::hash<std::string>{}(n.tag) ^ static_cast<std::size_t>(n.kind);
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
  mix(std::hash<std::string>{}(n.scalar));
  for (const auto& k : n.keys) mix(std::hash<std::string>{}(k.name));
  for (const auto& i : n.items) mix(value_hash(i));
  return h;
}

}  // namespace

// Hashed, not compared with every kept item: "1-65535" expands to 65535 ports. A short list is
// compared (cheaper than hashing).
void dedupe(Node& sequence) {
  if (!sequence.is_sequence()) return;
  if (sequence.items.size() <= 8) {
    std::vector<Node> kept;
    for (auto& item : sequence.items)
      if (std::find(kept.begin(), kept.end(), item) == kept.end()) kept.push_back(std::move(item));
    sequence.items = std::move(kept);
    return;
  }
  std::vector<Node> kept;
  std::unordered_multimap<std::size_t, std::size_t> seen;  // hash → index in kept
  for (auto& item : sequence.items) {
    const std::size_t h = value_hash(item);
    auto [first, last] = seen.equal_range(h);
    if (std::any_of(first, last, [&](const auto& e) { return kept[e.second] == item; })) continue;
    seen.emplace(h, kept.size());
    kept.push_back(std::move(item));
  }
  sequence.items = std::move(kept);
}

namespace {

// Stable: keys with the same name keep their order.
void reorder_by_key(Node& n) {
  std::vector<std::size_t> order(n.keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return n.keys[a].name < n.keys[b].name; });
  std::vector<Key> keys;
  std::vector<Node> items;
  keys.reserve(order.size());
  items.reserve(order.size());
  for (std::size_t i : order) {
    keys.push_back(std::move(n.keys[i]));
    items.push_back(std::move(n.items[i]));
  }
  n.keys = std::move(keys);
  n.items = std::move(items);
}

}  // namespace

void sort_keys(Node& n, bool deep) {
  if (n.is_sequence()) {
    if (deep)
      for (auto& item : n.items) sort_keys(item);
    return;
  }
  if (!n.is_mapping()) return;
  const auto by_name = [](const Key& a, const Key& b) { return a.name < b.name; };
  if (!std::is_sorted(n.keys.begin(), n.keys.end(), by_name)) reorder_by_key(n);
  if (!deep) return;
  for (std::size_t i = 0; i < n.keys.size(); ++i)
    if (n.keys[i].name.rfind("x-", 0) != 0) sort_keys(n.items[i]);
}

namespace {

// `order`'s keys first, in that order; the others after, as they were (sorted).
void order_keys(Node& n, std::initializer_list<std::string_view> order) {
  if (!n.is_mapping()) return;
  auto rank = [&](const Key& k) {
    std::size_t i = 0;
    for (auto o : order) {
      if (k.name == o) return i;
      ++i;
    }
    return i;
  };
  std::vector<std::size_t> idx(n.keys.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return rank(n.keys[a]) < rank(n.keys[b]); });
  std::vector<Key> keys;
  std::vector<Node> items;
  for (std::size_t i : idx) {
    keys.push_back(std::move(n.keys[i]));
    items.push_back(std::move(n.items[i]));
  }
  n.keys = std::move(keys);
  n.items = std::move(items);
}

void order_each(Node* list, std::initializer_list<std::string_view> order) {
  if (!list) return;
  for (auto& item : list->items) order_keys(item, order);  // a sequence's, or a mapping's values
}

}  // namespace

void order_as_compose(Node& service) {
  // compose-go's types.ServicePortConfig, HealthCheckConfig, ServiceDependency and
  // ServiceVolumeConfig.
  order_each(service.find("ports"),
             {"name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"});
  if (Node* h = service.find("healthcheck"))
    order_keys(*h, {"test", "timeout", "interval", "retries", "start_period", "start_interval",
                    "disable"});
  order_each(service.find("depends_on"), {"condition", "restart", "required"});
  order_each(service.find("volumes"), {"type", "source", "target", "read_only", "consistency",
                                       "bind", "volume", "tmpfs", "image"});
}

void normalize_duration(Node& n, const std::string& path, Normalizer& nz) {
  if (!n.is_scalar()) return;
  if (auto d = parse_duration(n.scalar)) {
    n = Node::string(format_duration(*d), n.mark);
    return;
  }
  nz.error(n, path,
           "invalid duration \"" + n.scalar +
               "\": expected a number and a unit (h, m, s, ms, us, ns), e.g. \"1m30s\"");
}

void normalize_bytes(Node& n, const std::string& path, Normalizer& nz) {
  if (!n.is_scalar() || (!n.quoted && n.as_double())) return;  // numbers stay numbers
  if (auto b = parse_bytes(n.scalar)) {
    n = Node::number(*b, n.mark);
    return;
  }
  nz.error(n, path,
           "invalid byte size \"" + n.scalar +
               "\": expected a number and an optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"");
}

void normalize_command(Node& n, const std::string& path, Normalizer& nz) {
  if (n.is_sequence()) {
    n = string_list(n);
    return;
  }
  if (!n.is_scalar()) return;
  std::string why;
  auto words = shell_split(n.scalar, &why);
  if (!words) {
    nz.error(n, path, "invalid command \"" + n.scalar + "\": " + why);
    return;
  }
  Node out = Node::sequence(n.mark);
  for (auto& w : *words) out.push_back(Node::string(std::move(w), n.mark));
  n = std::move(out);
}

namespace {

std::optional<long long> to_int(const Node& n) {
  if (!n.is_scalar()) return std::nullopt;
  if (auto i = n.as_int()) return i;
  return Node::plain(n.scalar).as_int();  // "65535" given as a string
}

}  // namespace

void normalize_ulimits(Node& ulimits, const std::string& path, Normalizer& nz) {
  if (!ulimits.is_mapping()) return;
  for (std::size_t i = 0; i < ulimits.keys.size(); ++i) {
    Node& limit = ulimits.items[i];
    const std::string p = child_path(path, ulimits.keys[i].name);
    if (limit.is_scalar()) {
      auto v = to_int(limit);
      if (!v) {
        nz.error(limit, p,
                 "invalid ulimit \"" + limit.scalar +
                     "\": expected an integer or a mapping with soft and hard");
        continue;
      }
      Node m = Node::mapping(limit.mark);
      m.set("hard", Node::number(*v, limit.mark));
      m.set("soft", Node::number(*v, limit.mark));
      limit = std::move(m);
      continue;
    }
    if (!limit.is_mapping()) continue;
    std::optional<long long> soft, hard;
    for (const char* which : {"soft", "hard"}) {
      Node* v = limit.find(which);
      if (!v || !v->is_scalar()) continue;
      auto parsed = to_int(*v);
      if (!parsed) {
        nz.error(*v, child_path(p, which),
                 "invalid ulimit \"" + v->scalar + "\": expected an integer");
        continue;
      }
      *v = Node::number(*parsed, v->mark);
      (std::string_view(which) == "soft" ? soft : hard) = parsed;
    }
    if (soft && hard && *hard >= 0 && (*soft < 0 || *soft > *hard))
      nz.error(limit, p,
               "soft limit " + std::to_string(*soft) + " is greater than hard limit " +
                   std::to_string(*hard));
  }
}

void normalize_extra_hosts(Node& hosts, const std::string& path, Normalizer& nz) {
  Node out = Node::sequence(hosts.mark);
  auto add = [&](const std::string& host, std::string ip, const Mark& mark) {
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    out.push_back(Node::string(host + ":" + ip, mark));
  };
  if (hosts.is_mapping()) {
    for (std::size_t i = 0; i < hosts.keys.size(); ++i) {
      const Node& v = hosts.items[i];
      if (v.is_scalar()) add(hosts.keys[i].name, v.scalar, v.mark);
      if (v.is_sequence())
        for (const Node& ip : v.items) add(hosts.keys[i].name, ip.scalar, ip.mark);
    }
  } else if (hosts.is_sequence()) {
    for (std::size_t i = 0; i < hosts.items.size(); ++i) {
      const Node& item = hosts.items[i];
      const std::string& s = item.scalar;
      // HOST=IP is preferred; HOST:IP splits at the first colon (an IPv6 address has more).
      auto sep = s.find('=');
      if (sep == std::string::npos) sep = s.find(':');
      if (sep == std::string::npos || sep == 0 || sep + 1 == s.size()) {
        nz.error(item, index_path(path, i),
                 "invalid extra host \"" + s + "\": expected HOST=IP or HOST:IP");
        continue;
      }
      add(s.substr(0, sep), s.substr(sep + 1), item.mark);
    }
  } else {
    return;
  }
  dedupe(out);
  hosts = std::move(out);
}

void normalize_file_refs(Node& refs) {
  if (!refs.is_sequence()) return;
  for (std::size_t i = 0; i < refs.items.size(); ++i) {
    Node& ref = refs.items[i];
    if (ref.is_scalar()) {
      Node m = Node::mapping(ref.mark);
      m.set("source", to_string_node(ref), ref.mark);
      ref = std::move(m);
    } else if (ref.is_mapping()) {
      for (const char* key : {"uid", "gid"})
        if (Node* v = ref.find(key)) *v = to_string_node(*v);
    }
  }
}

}  // namespace qpod::compose::detail
