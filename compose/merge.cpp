#include "compose/merge.h"

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "compose/merge_keys.h"

namespace qpod::compose {
namespace {

// How the values at one key path merge. Paths not listed follow the general rules: mappings
// merge key by key, sequences append the override's items that are not there yet, a null
// override keeps the base, anything else (scalars, different kinds) is replaced.
//
// The files are not normalized yet, so one file may use a short syntax where the other uses the
// long one. Sequences of unique resources (ports, volumes...) are merged by a key read from
// either syntax (merge_keys.h). Where a list form meets a mapping form (environment, labels,
// extra_hosts, depends_on, networks...), the list side is converted to the mapping form; when
// both sides use the same form, that form is kept.
enum class Rule : std::uint8_t {
  General,
  Service,    // services.NAME: both must be mappings
  Replace,    // command, entrypoint, healthcheck.test: replaced, never appended
  Entries,    // "NAME=VALUE" list or mapping: entries replaced by name
  Hosts,      // extra_hosts: "host:ip" list or mapping host → address(es)
  DependsOn,  // list of names or mapping name → {condition, required, restart}
  Networks,   // list of names or mapping name → options or null
  Build,      // a context path or a mapping
  Logging,    // mapping; another driver replaces the whole mapping (its options are the driver's)
  Ports,
  Volumes,
  Devices,
  Tmpfs,
  Secrets,
  Configs,
  EnvFile,
  BlkioDevices,
  IpamConfig,
  Unique,  // string or list, appended without duplicates (dns, dns_search, label_file)
};

struct PathRule {
  std::string_view pattern;
  Rule rule;
};

constexpr PathRule kRules[] = {
    {"services.*", Rule::Service},
    {"services.*.command", Rule::Replace},
    {"services.*.entrypoint", Rule::Replace},
    {"services.*.healthcheck.test", Rule::Replace},
    {"services.*.environment", Rule::Entries},
    {"services.*.labels", Rule::Entries},
    {"services.*.annotations", Rule::Entries},
    {"services.*.sysctls", Rule::Entries},
    {"services.*.ulimits", Rule::Entries},
    {"services.*.build.args", Rule::Entries},
    {"services.*.build.labels", Rule::Entries},
    {"services.*.build.additional_contexts", Rule::Entries},
    {"services.*.deploy.labels", Rule::Entries},
    {"services.*.extra_hosts", Rule::Hosts},
    {"services.*.build.extra_hosts", Rule::Hosts},
    {"services.*.depends_on", Rule::DependsOn},
    {"services.*.networks", Rule::Networks},
    {"services.*.build", Rule::Build},
    {"services.*.logging", Rule::Logging},
    {"services.*.ports", Rule::Ports},
    {"services.*.volumes", Rule::Volumes},
    {"services.*.devices", Rule::Devices},
    {"services.*.tmpfs", Rule::Tmpfs},
    {"services.*.secrets", Rule::Secrets},
    {"services.*.configs", Rule::Configs},
    {"services.*.env_file", Rule::EnvFile},
    {"services.*.blkio_config.device_read_bps", Rule::BlkioDevices},
    {"services.*.blkio_config.device_read_iops", Rule::BlkioDevices},
    {"services.*.blkio_config.device_write_bps", Rule::BlkioDevices},
    {"services.*.blkio_config.device_write_iops", Rule::BlkioDevices},
    {"services.*.blkio_config.weight_device", Rule::BlkioDevices},
    {"services.*.dns", Rule::Unique},
    {"services.*.dns_search", Rule::Unique},
    {"services.*.label_file", Rule::Unique},
    {"networks.*.labels", Rule::Entries},
    {"networks.*.ipam.config", Rule::IpamConfig},
    {"volumes.*.labels", Rule::Entries},
    {"secrets.*.labels", Rule::Entries},
    {"configs.*.labels", Rule::Entries},
};

bool matches(std::string_view pattern, const std::vector<std::string_view>& segs) {
  std::size_t i = 0;
  for (std::size_t start = 0; start <= pattern.size(); ++i) {
    std::size_t end = pattern.find('.', start);
    if (end == std::string_view::npos) end = pattern.size();
    if (i >= segs.size()) return false;
    std::string_view part = pattern.substr(start, end - start);
    if (part != "*" && part != segs[i]) return false;
    start = end + 1;
  }
  return i == segs.size();
}

Rule rule_for(const std::vector<std::string_view>& segs) {
  for (const auto& r : kRules)
    if (matches(r.pattern, segs)) return r.rule;
  return Rule::General;
}

using KeyFn = std::string (*)(const Node&);

// The key that says which entries of a sequence are the same; nullptr for non-sequence rules.
KeyFn sequence_key(Rule rule) {
  switch (rule) {
    case Rule::Ports:
      return port_key;
    case Rule::Volumes:
      return volume_key;
    case Rule::Devices:
      return device_key;
    case Rule::Tmpfs:
      return tmpfs_key;
    case Rule::Secrets:
      return secret_key;
    case Rule::Configs:
      return config_key;
    case Rule::EnvFile:
      return env_file_key;
    case Rule::BlkioDevices:
      return [](const Node& n) { return field_key(n, "path"); };
    case Rule::IpamConfig:
      return [](const Node& n) { return field_key(n, "subnet"); };
    case Rule::Unique:
      return value_key;
    default:
      return nullptr;
  }
}

// tmpfs, env_file, dns...: a lone string is a list of one.
bool string_is_list(Rule rule) {
  return rule == Rule::Tmpfs || rule == Rule::EnvFile || rule == Rule::Unique;
}

Node one_item_list(const Node& item) {
  Node list = Node::sequence(item.mark);
  list.push_back(item);
  return list;
}

// A value taken as the override's: an `!override` tag has done its job.
Node untagged(const Node& n) {
  Node copy = n;
  if (copy.tag == "!override") copy.tag.clear();
  return copy;
}

class Merger {
 public:
  explicit Merger(std::vector<std::string_view> segs = {}) : segs_(std::move(segs)) {}

  Diagnostics errors;

  void merge(Node& base, const Node& over, const std::string& path) {
    if (over.tag == "!override") {
      base = untagged(over);
      return;
    }
    const Rule rule = rule_for(segs_);
    if (rule == Rule::Replace) {
      base = over;
      return;
    }
    if (over.is_null()) return;  // `key:` with no value changes nothing; `!reset` removes
    if (base.is_null() || base.tag == "!reset") {
      base = over;
      return;
    }
    switch (rule) {
      case Rule::Service:
        return merge_service(base, over, path);
      case Rule::Entries:
        return merge_entries(base, over, path, entries_to_mapping, entry_name);
      case Rule::Hosts:
        return merge_entries(base, over, path, hosts_to_mapping, host_name);
      case Rule::DependsOn: {
        Node started = Node::mapping();
        started.set("condition", Node::string("service_started"));
        return merge_names(base, over, path, started);
      }
      case Rule::Networks:
        return merge_names(base, over, path, Node::null());
      case Rule::Build:
        return merge_build(base, over, path);
      case Rule::Logging:
        if (driver_changes(base, over)) {
          base = over;
          return;
        }
        break;
      default:
        if (KeyFn key = sequence_key(rule)) return merge_keyed(base, over, path, rule, key);
        break;
    }
    merge_general(base, over, path);
  }

  void merge_mapping(Node& base, const Node& over, const std::string& path) {
    for (std::size_t i = 0; i < over.keys.size(); ++i) {
      const Key& key = over.keys[i];
      const Node& value = over.items[i];
      if (value.tag == "!reset") {
        base.erase(key.name);
        continue;
      }
      Node* existing = base.find(key.name);
      if (!existing) {
        base.set(key.name, value, key.mark);
        continue;
      }
      segs_.push_back(key.name);
      merge(*existing, value, child_path(path, key.name));
      segs_.pop_back();
    }
  }

 private:
  void merge_general(Node& base, const Node& over, const std::string& path) {
    if (base.is_mapping() && over.is_mapping())
      merge_mapping(base, over, path);
    else if (base.is_sequence() && over.is_sequence())
      merge_sequence(base, over, path, value_key);
    else
      base = over;
  }

  void merge_service(Node& base, const Node& over, const std::string& path) {
    for (const Node* n : {static_cast<const Node*>(&base), &over}) {
      if (!n->is_mapping())
        errors.push_back(
            error_at(*n, path, "expected a service definition (a mapping), not " + describe(*n)));
    }
    if (base.is_mapping() && over.is_mapping()) merge_mapping(base, over, path);
  }

  // environment, labels, extra_hosts...: a list meeting a mapping becomes a mapping.
  void merge_entries(Node& base, const Node& over, const std::string& path,
                     Node (*to_mapping)(const Node&), KeyFn name) {
    if (base.is_sequence() && over.is_sequence()) return merge_sequence(base, over, path, name);
    if (base.is_scalar() || over.is_scalar()) {
      base = over;
      return;
    }
    if (base.is_sequence()) base = to_mapping(base);
    Node converted;
    const Node& o = over.is_sequence() ? (converted = to_mapping(over)) : over;
    for (std::size_t i = 0; i < o.keys.size(); ++i) {
      if (o.items[i].tag == "!reset")
        base.erase(o.keys[i].name);
      else
        base.set(o.keys[i].name, untagged(o.items[i]), o.keys[i].mark);
    }
  }

  // depends_on, networks: a list of names meeting a mapping becomes a mapping.
  void merge_names(Node& base, const Node& over, const std::string& path, const Node& value) {
    if (base.is_sequence() && over.is_sequence())
      return merge_sequence(base, over, path, value_key);
    if (base.is_sequence()) base = names_to_mapping(base, value);
    Node converted;
    const Node& o = over.is_sequence() ? (converted = names_to_mapping(over, value)) : over;
    merge_general(base, o, path);
  }

  void merge_build(Node& base, const Node& over, const std::string& path) {
    auto as_mapping = [](const Node& context) {
      Node m = Node::mapping(context.mark);
      m.set("context", context, context.mark);
      return m;
    };
    if (base.is_scalar() && over.is_scalar()) {
      base = over;
      return;
    }
    if (base.is_scalar()) base = as_mapping(base);
    Node converted;
    const Node& o = over.is_scalar() ? (converted = as_mapping(over)) : over;
    merge_general(base, o, path);
  }

  static bool driver_changes(const Node& base, const Node& over) {
    const Node* a = base.find("driver");
    const Node* b = over.find("driver");
    return a && b && a->is_scalar() && b->is_scalar() && a->scalar != b->scalar;
  }

  void merge_keyed(Node& base, const Node& over, const std::string& path, Rule rule, KeyFn key) {
    if (string_is_list(rule) && base.is_scalar()) base = one_item_list(base);
    Node converted;
    const Node& o =
        string_is_list(rule) && over.is_scalar() ? (converted = one_item_list(over)) : over;
    if (base.is_sequence() && o.is_sequence())
      merge_sequence(base, o, path, key);
    else
      base = over;
  }

  // Entries with a key the override has are replaced, in place, by the override's entries with
  // that key; one long-form entry meeting one long-form entry is merged with it instead. The
  // override's other entries are appended; its entries tagged !reset remove the base's.
  void merge_sequence(Node& base, const Node& over, const std::string& path, KeyFn key) {
    std::map<std::string, std::vector<const Node*>> replacing;
    std::set<std::string> resets;
    for (const Node& item : over.items) {
      if (item.tag == "!reset")
        resets.insert(key(item));
      else
        replacing[key(item)].push_back(&item);
    }
    std::map<std::string, int> base_count;
    for (const Node& item : base.items) ++base_count[key(item)];

    Node out = Node::sequence(base.mark);
    std::set<std::string> placed;
    for (Node& item : base.items) {
      const std::string k = key(item);
      auto it = replacing.find(k);
      if (it == replacing.end()) {
        if (!resets.count(k)) out.push_back(std::move(item));
        continue;
      }
      if (!placed.insert(k).second) continue;
      const auto& entries = it->second;
      if (entries.size() == 1 && base_count[k] == 1 && item.is_mapping() &&
          entries[0]->is_mapping() && entries[0]->tag != "!override") {
        segs_.push_back("[]");
        merge(item, *entries[0], index_path(path, out.size()));
        segs_.pop_back();
        out.push_back(std::move(item));
      } else {
        for (const Node* e : entries) out.push_back(untagged(*e));
      }
    }
    for (const Node& item : over.items)
      if (item.tag != "!reset" && !placed.count(key(item))) out.push_back(untagged(item));
    base = std::move(out);
  }

  std::vector<std::string_view> segs_;  // the key path, matched against kRules
};

}  // namespace

Result<Node> merge_files(Node base, const Node& override_file) {
  Diagnostics errors;
  for (const Node* root : {static_cast<const Node*>(&base), &override_file}) {
    if (!root->is_mapping())
      errors.push_back(
          error_at(*root, "", "expected a mapping at the top level, not " + describe(*root)));
  }
  if (!errors.empty()) return errors;
  Merger m;
  m.merge_mapping(base, override_file, "");
  if (!m.errors.empty()) return m.errors;
  return base;
}

Result<Node> merge_service(Node base, const Node& override_service, const std::string& path) {
  Merger m({"services", "*"});
  m.merge(base, override_service, path);
  if (!m.errors.empty()) return m.errors;
  return base;
}

void strip_reset_tags(Node& root) {
  if (root.tag == "!override") root.tag.clear();
  for (std::size_t i = root.items.size(); i-- > 0;) {
    if (root.items[i].tag != "!reset") {
      strip_reset_tags(root.items[i]);
      continue;
    }
    root.items.erase(root.items.begin() + static_cast<std::ptrdiff_t>(i));
    if (root.is_mapping()) root.keys.erase(root.keys.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

}  // namespace qpod::compose
