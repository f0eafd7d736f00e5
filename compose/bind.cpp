#include "compose/bind.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/uuid/detail/sha1.hpp>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "compose/emit.h"
#include "compose/units.h"

namespace qpod::compose {
namespace {

// Reads values of the normalized tree into typed fields. A value of the wrong shape becomes a
// diagnostic and leaves the field as it was; null reads as "not set" everywhere.
class Reader {
 public:
  explicit Reader(Diagnostics& errors) : errors_(errors) {}

  void error(const Node& n, const std::string& path, std::string message) {
    errors_.push_back(error_at(n, path, std::move(message)));
  }
  void expected(const Node& n, const std::string& path, std::string_view what) {
    error(n, path, "expected " + std::string(what) + ", not " + describe(n));
  }

  // Reads `key` of mapping `m` into `out` when present.
  template <class T>
  void get(const Node& m, std::string_view key, const std::string& path, T& out) {
    if (const Node* v = m.find(key)) read(*v, child_path(path, key), out);
  }

  void read(const Node& n, const std::string& path, std::string& out) {
    if (n.is_scalar())
      out = n.scalar;
    else if (!n.is_null())
      expected(n, path, "a string");
  }
  void read(const Node& n, const std::string& path, bool& out) {
    if (auto b = n.as_bool())
      out = *b;
    else if (!n.is_null())
      expected(n, path, "a boolean");
  }
  void read(const Node& n, const std::string& path, std::optional<bool>& out) {
    bool b = false;
    if (n.is_null()) return;
    std::size_t before = errors_.size();
    read(n, path, b);
    if (errors_.size() == before) out = b;
  }
  template <class Int>
  bool integer(const Node& n, const std::string& path, Int& out, long long min, long long max,
               std::string_view what = "an integer") {
    auto v = n.as_int();
    if (!v || *v < min || *v > max) {
      expected(n, path, what);
      return false;
    }
    out = static_cast<Int>(*v);
    return true;
  }
  void read(const Node& n, const std::string& path, std::optional<int>& out) {
    int v = 0;
    if (!n.is_null() &&
        integer(n, path, v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()))
      out = v;
  }
  void read(const Node& n, const std::string& path, std::optional<std::uint32_t>& out) {
    std::uint32_t v = 0;
    if (!n.is_null() &&
        integer(n, path, v, 0, std::numeric_limits<std::uint32_t>::max(), "a non-negative integer"))
      out = v;
  }
  void read(const Node& n, const std::string& path, std::int64_t& out) {
    if (!n.is_null())
      integer(n, path, out, std::numeric_limits<std::int64_t>::min(),
              std::numeric_limits<std::int64_t>::max());
  }
  void read(const Node& n, const std::string& path, std::optional<Duration>& out) {
    if (n.is_null()) return;
    if (!n.is_string()) return expected(n, path, "a duration such as \"1m30s\"");
    if (auto d = parse_duration(n.scalar))
      out = *d;
    else
      error(n, path,
            "invalid duration \"" + n.scalar +
                "\": expected a number and a unit (h, m, s, ms, us, "
                "ns), such as \"1m30s\" or \"500ms\"");
  }
  // A byte size: a number of bytes, or a string such as "64m".
  void bytes(const Node& n, const std::string& path, std::optional<std::int64_t>& out) {
    if (n.is_null()) return;
    if (auto i = n.as_int(); i && *i >= 0) {
      out = *i;
    } else if (auto b = n.is_string() ? parse_bytes(n.scalar) : std::nullopt) {
      out = *b;
    } else if (n.is_scalar()) {
      error(n, path,
            "invalid byte size \"" + n.scalar +
                "\": expected a number of bytes or a size such "
                "as \"512k\", \"64m\" or \"1g\"");
    } else {
      expected(n, path, "a byte size");
    }
  }
  void read(const Node& n, const std::string& path, std::vector<std::string>& out) {
    if (n.is_null()) return;
    if (!n.is_sequence()) return expected(n, path, "a list of strings");
    out.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (n.items[i].is_scalar())
        out.push_back(n.items[i].scalar);
      else
        expected(n.items[i], index_path(path, i), "a string");
    }
  }
  void read(const Node& n, const std::string& path, std::optional<std::vector<std::string>>& out) {
    if (n.is_null()) return;
    std::vector<std::string> v;
    std::size_t before = errors_.size();
    read(n, path, v);
    if (errors_.size() == before) out = std::move(v);
  }
  void read(const Node& n, const std::string& path, StringMap& out) {
    if (n.is_null()) return;
    if (!n.is_mapping()) return expected(n, path, "a mapping of strings");
    for (std::size_t i = 0; i < n.size(); ++i) {
      const Node& v = n.items[i];
      if (v.is_scalar() || v.is_null())
        out[n.keys[i].name] = v.scalar;
      else
        expected(v, child_path(path, n.keys[i].name), "a string");
    }
  }
  void read(const Node& n, const std::string& path,
            std::map<std::string, std::optional<std::string>>& out) {
    if (n.is_null()) return;
    if (!n.is_mapping()) return expected(n, path, "a mapping of strings");
    for (std::size_t i = 0; i < n.size(); ++i) {
      const Node& v = n.items[i];
      if (v.is_null())
        out[n.keys[i].name] = std::nullopt;
      else if (v.is_scalar())
        out[n.keys[i].name] = v.scalar;
      else
        expected(v, child_path(path, n.keys[i].name), "a string or null");
    }
  }
  // `n` must be one of `allowed` (when set).
  void one_of(const Node& m, std::string_view key, const std::string& path,
              std::initializer_list<std::string_view> allowed, std::string& out) {
    const Node* v = m.find(key);
    if (!v) return;
    std::string p = child_path(path, key);
    std::size_t before = errors_.size();
    read(*v, p, out);
    if (errors_.size() != before || v->is_null()) return;
    for (auto a : allowed)
      if (out == a) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    error(*v, p, "invalid value \"" + out + "\": expected one of " + list);
  }
  // Calls `each(key, value, path)` for every entry of a mapping (null reads as empty).
  template <class F>
  void entries(const Node& n, const std::string& path, F&& each) {
    if (n.is_null()) return;
    if (!n.is_mapping()) return expected(n, path, "a mapping");
    for (std::size_t i = 0; i < n.size(); ++i)
      each(n.keys[i].name, n.items[i], child_path(path, n.keys[i].name));
  }
  // Calls `each(item, path)` for every mapping in a list.
  template <class F>
  void list_of_mappings(const Node& n, const std::string& path, F&& each) {
    if (n.is_null()) return;
    if (!n.is_sequence()) return expected(n, path, "a list");
    for (std::size_t i = 0; i < n.size(); ++i) {
      std::string p = index_path(path, i);
      if (n.items[i].is_mapping())
        each(n.items[i], p);
      else
        expected(n.items[i], p, "a mapping");
    }
  }
  // The mapping under `key` (bind:, volume:, tmpfs: of a mount), or null when absent or wrong.
  const Node* options(const Node& m, std::string_view key, const std::string& path) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return nullptr;
    if (v->is_mapping()) return v;
    expected(*v, child_path(path, key), "a mapping");
    return nullptr;
  }
  // A key the normalized form always has.
  bool require(const Node& m, std::string_view key, const std::string& path) {
    if (m.find(key)) return true;
    error(m, path, "missing \"" + std::string(key) + "\"");
    return false;
  }

 private:
  Diagnostics& errors_;
};

void read_port(Reader& r, const Node& n, const std::string& p, Port& port) {
  r.get(n, "name", p, port.name);
  r.get(n, "host_ip", p, port.host_ip);
  r.get(n, "published", p, port.published);
  if (r.require(n, "target", p))
    r.integer(*n.find("target"), child_path(p, "target"), port.target, 1, 65535,
              "a port number (1-65535)");
  r.one_of(n, "protocol", p, {"tcp", "udp", "sctp"}, port.protocol);
  r.get(n, "app_protocol", p, port.app_protocol);
  r.one_of(n, "mode", p, {"ingress", "host"}, port.mode);
}

void read_mount(Reader& r, const Node& n, const std::string& p, Mount& m) {
  if (r.require(n, "type", p))
    r.one_of(n, "type", p, {"bind", "volume", "tmpfs", "npipe", "cluster", "image"}, m.type);
  r.get(n, "source", p, m.source);
  if (r.require(n, "target", p)) r.get(n, "target", p, m.target);
  r.get(n, "read_only", p, m.read_only);
  r.get(n, "consistency", p, m.consistency);
  if (const Node* b = r.options(n, "bind", p)) {
    std::string bp = child_path(p, "bind");
    r.get(*b, "create_host_path", bp, m.bind_create_host_path);
    r.one_of(*b, "propagation", bp, {"rprivate", "private", "rshared", "shared", "rslave", "slave"},
             m.bind_propagation);
    r.one_of(*b, "selinux", bp, {"z", "Z"}, m.bind_selinux);
  }
  if (const Node* v = r.options(n, "volume", p)) {
    std::string vp = child_path(p, "volume");
    r.get(*v, "nocopy", vp, m.volume_nocopy);
    r.get(*v, "subpath", vp, m.volume_subpath);
  }
  if (const Node* t = r.options(n, "tmpfs", p)) {
    std::string tp = child_path(p, "tmpfs");
    if (const Node* size = t->find("size")) r.bytes(*size, child_path(tp, "size"), m.tmpfs_size);
    r.get(*t, "mode", tp, m.tmpfs_mode);
  }
}

void read_healthcheck(Reader& r, const Node& n, const std::string& p, Service& s) {
  if (n.is_null()) return;
  if (!n.is_mapping()) return r.expected(n, p, "a mapping");
  Healthcheck h;
  r.get(n, "test", p, h.test);
  if (const Node* test = n.find("test"); test && test->is_sequence() && !h.test.empty() &&
                                         h.test[0] != "CMD" && h.test[0] != "CMD-SHELL" &&
                                         h.test[0] != "NONE")
    r.error(test->items[0], index_path(child_path(p, "test"), 0),
            "a healthcheck test starts with \"CMD\", \"CMD-SHELL\" or \"NONE\", not \"" +
                h.test[0] + "\"");
  r.get(n, "interval", p, h.interval);
  r.get(n, "timeout", p, h.timeout);
  r.get(n, "start_period", p, h.start_period);
  r.get(n, "start_interval", p, h.start_interval);
  r.get(n, "retries", p, h.retries);
  r.get(n, "disable", p, h.disable);
  s.healthcheck = std::move(h);
}

void read_build(Reader& r, const Node& n, const std::string& p, Service& s) {
  if (n.is_null()) return;
  if (!n.is_mapping()) return r.expected(n, p, "a mapping");
  Build b;
  r.get(n, "context", p, b.context);
  r.get(n, "dockerfile", p, b.dockerfile);
  r.get(n, "dockerfile_inline", p, b.dockerfile_inline);
  r.get(n, "target", p, b.target);
  r.get(n, "args", p, b.args);
  r.get(n, "labels", p, b.labels);
  r.get(n, "tags", p, b.tags);
  r.get(n, "cache_from", p, b.cache_from);
  r.get(n, "network", p, b.network);
  s.build = std::move(b);
}

void read_provider(Reader& r, const Node& n, const std::string& p, Service& s) {
  if (!n.is_mapping()) return r.expected(n, p, "a mapping");
  Provider provider;
  r.get(n, "type", p, provider.type);
  if (const Node* options = n.find("options"))
    r.entries(*options, child_path(p, "options"),
              [&](const std::string& name, const Node& v, const std::string& vp) {
                r.read(v, vp, provider.options[name]);  // normalized: a list of strings
              });
  s.provider = std::move(provider);
}

void read_depends_on(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.entries(n, p, [&](const std::string& name, const Node& v, const std::string& vp) {
    Dependency d;
    if (v.is_mapping()) {
      r.one_of(v, "condition", vp,
               {"service_started", "service_healthy", "service_completed_successfully"},
               d.condition);
      r.get(v, "required", vp, d.required);
      r.get(v, "restart", vp, d.restart);
    } else if (!v.is_null()) {
      r.expected(v, vp, "a mapping");
    }
    s.depends_on[name] = d;
  });
}

void read_networks(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.entries(n, p, [&](const std::string& name, const Node& v, const std::string& vp) {
    ServiceNetwork net;
    if (v.is_mapping()) {
      r.get(v, "aliases", vp, net.aliases);
      r.get(v, "ipv4_address", vp, net.ipv4_address);
      r.get(v, "ipv6_address", vp, net.ipv6_address);
      r.get(v, "priority", vp, net.priority);
    } else if (!v.is_null()) {
      r.expected(v, vp, "a mapping or null");
    }
    s.networks[name] = std::move(net);
  });
}

// mode, as docker compose reads it (yaml.v3 and compose-go): a number with a leading 0 and a
// string are octal (0440, "0440"), so are 0o440; a plain number is as written (288).
void read_file_mode(Reader& r, const Node& item, const std::string& ip,
                    std::optional<std::uint32_t>& out) {
  const Node* m = item.find("mode");
  if (!m || !m->is_scalar() || m->is_null()) return r.get(item, "mode", ip, out);
  const std::string& t = m->scalar;
  const bool octal = m->quoted || (t.size() > 1 && t[0] == '0' && t[1] != 'x' && t[1] != 'o');
  if (!octal) return r.get(item, "mode", ip, out);
  const std::string digits = t.starts_with("0o") ? t.substr(2) : t;
  if (digits.empty() || digits.size() > 8 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; }) ||
      std::stoul(digits, nullptr, 8) > 07777)
    return r.expected(*m, child_path(ip, "mode"), "an octal file mode such as 0440");
  out = static_cast<std::uint32_t>(std::stoul(digits, nullptr, 8));
}

void read_file_refs(Reader& r, const Node& n, const std::string& p,
                    std::vector<FileReference>& out) {
  r.list_of_mappings(n, p, [&](const Node& item, const std::string& ip) {
    FileReference f;
    if (r.require(item, "source", ip)) r.get(item, "source", ip, f.source);
    r.get(item, "target", ip, f.target);
    r.get(item, "uid", ip, f.uid);
    r.get(item, "gid", ip, f.gid);
    read_file_mode(r, item, ip, f.mode);
    out.push_back(std::move(f));
  });
}

void read_ulimits(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.entries(n, p, [&](const std::string& name, const Node& v, const std::string& vp) {
    Ulimit u;
    if (!v.is_mapping()) return r.expected(v, vp, "a mapping with soft and hard");
    if (r.require(v, "soft", vp)) r.get(v, "soft", vp, u.soft);
    if (r.require(v, "hard", vp)) r.get(v, "hard", vp, u.hard);
    s.ulimits[name] = u;
  });
}

void read_restart(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.read(n, p, s.restart);
  const std::string& v = s.restart;
  bool ok = v.empty() || v == "no" || v == "always" || v == "unless-stopped" || v == "on-failure";
  if (!ok && v.starts_with("on-failure:")) {
    Node count = Node::plain(v.substr(11));
    ok = count.as_int().has_value() && *count.as_int() >= 0;
  }
  if (!ok)
    r.error(n, p,
            "invalid restart policy \"" + v +
                "\": expected no, always, on-failure[:N] or unless-stopped");
}

// deploy.restart_policy, mapped as docker compose maps it outside swarm (create.go
// getRestartPolicy): none → no, any → always, on-failure with max_attempts → on-failure:N. When
// both are given it wins over `restart`, as there. Read after every key, so the order of keys
// does not matter; max_attempts of another condition, delay and window are warnings
// (service_warnings): podman has no such setting.
void read_restart_policy(Reader& r, const Node& service, const std::string& path, Service& s) {
  const Node* deploy = service.find("deploy");
  const Node* policy = deploy && deploy->is_mapping() ? deploy->find("restart_policy") : nullptr;
  if (!policy || !policy->is_mapping()) return;
  std::string p = child_path(child_path(path, "deploy"), "restart_policy");
  std::string condition;
  r.get(*policy, "condition", p, condition);
  std::int64_t attempts = 0;
  if (const Node* m = policy->find("max_attempts"); m && !m->is_null())
    r.integer(*m, child_path(p, "max_attempts"), attempts, 0, std::numeric_limits<int>::max(),
              "a non-negative integer");
  if (condition == "none" || condition == "no" || condition.empty())
    s.restart = "no";  // docker compose: an empty condition is the engine's default, no restart
  else if (condition == "any" || condition == "always")
    s.restart = "always";
  else if (condition == "unless-stopped")
    s.restart = condition;
  else if (condition == "on-failure")
    s.restart = attempts > 0 ? "on-failure:" + std::to_string(attempts) : condition;
  else
    r.error(*policy->find("condition"), child_path(p, "condition"),
            "invalid restart condition \"" + condition + "\": expected none, on-failure or any");
}

void read_logging(Reader& r, const Node& n, const std::string& p, Service& s) {
  if (n.is_null()) return;
  if (!n.is_mapping()) return r.expected(n, p, "a mapping");
  Logging l;
  r.get(n, "driver", p, l.driver);
  r.get(n, "options", p, l.options);
  s.logging = std::move(l);
}

// A number of CPUs: 1.5 or "1.5", kept as text for podman's --cpus.
void read_cpus(const Node& n, std::string& out) {
  if (n.is_scalar()) out = n.scalar;
}

// deploy.resources: the limits docker compose applies outside swarm too. A top-level key
// (cpus, mem_limit...) read after deploy (keys are sorted) wins.
void read_deploy(Reader& r, const Node& n, const std::string& p, Service& s) {
  const Node* res = n.is_mapping() ? n.find("resources") : nullptr;
  if (!res || !res->is_mapping()) return;
  std::string rp = child_path(p, "resources");
  if (const Node* lim = res->find("limits"); lim && lim->is_mapping()) {
    std::string lp = child_path(rp, "limits");
    if (const Node* c = lim->find("cpus")) read_cpus(*c, s.cpus);
    if (const Node* m = lim->find("memory")) r.bytes(*m, child_path(lp, "memory"), s.mem_limit);
    if (const Node* pids = lim->find("pids")) {
      std::int64_t v = 0;
      if (r.integer(*pids, child_path(lp, "pids"), v, -1, std::numeric_limits<int>::max()))
        s.pids_limit = v;
    }
  }
  if (const Node* rsv = res->find("reservations"); rsv && rsv->is_mapping())
    if (const Node* m = rsv->find("memory"))
      r.bytes(*m, child_path(child_path(rp, "reservations"), "memory"), s.mem_reservation);
}

using Handler = void (*)(Reader&, const Node&, const std::string&, Service&);

template <auto Member>
void field(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.read(n, p, s.*Member);
}
template <auto Member>
void bytes_field(Reader& r, const Node& n, const std::string& p, Service& s) {
  r.bytes(n, p, s.*Member);
}
template <auto Member>
void int64_field(Reader& r, const Node& n, const std::string& p, Service& s) {
  std::int64_t v = 0;
  if (!n.is_null() && r.integer(n, p, v, std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max()))
    s.*Member = v;
}

// Service keys with a typed field. Other keys (deploy, logging, env_file...) stay in `node`.
const std::map<std::string_view, Handler>& service_keys() {
  static const std::map<std::string_view, Handler> keys = {
      {"annotations", &field<&Service::annotations>},
      {"build", &read_build},
      {"cap_add", &field<&Service::cap_add>},
      {"cap_drop", &field<&Service::cap_drop>},
      {"cgroup_parent", &field<&Service::cgroup_parent>},
      {"command", &field<&Service::command>},
      {"configs", [](Reader& r, const Node& n, const std::string& p,
                     Service& s) { read_file_refs(r, n, p, s.configs); }},
      {"container_name", &field<&Service::container_name>},
      {"cpu_shares", &int64_field<&Service::cpu_shares>},
      {"cpus",
       [](Reader&, const Node& n, const std::string&, Service& s) { read_cpus(n, s.cpus); }},
      {"cpuset", &field<&Service::cpuset>},
      {"depends_on", &read_depends_on},
      {"deploy", &read_deploy},
      {"device_cgroup_rules", &field<&Service::device_cgroup_rules>},
      {"devices", &field<&Service::devices>},
      {"dns", &field<&Service::dns>},
      {"dns_opt", &field<&Service::dns_opt>},
      {"dns_search", &field<&Service::dns_search>},
      {"domainname", &field<&Service::domainname>},
      {"entrypoint", &field<&Service::entrypoint>},
      {"environment", &field<&Service::environment>},
      {"expose", &field<&Service::expose>},
      {"external_links", &field<&Service::external_links>},
      {"extra_hosts", &field<&Service::extra_hosts>},
      {"group_add", &field<&Service::group_add>},
      {"healthcheck", &read_healthcheck},
      {"hostname", &field<&Service::hostname>},
      {"image", &field<&Service::image>},
      {"init", &field<&Service::init>},
      {"ipc", &field<&Service::ipc>},
      {"labels", &field<&Service::labels>},
      {"links", &field<&Service::links>},
      {"logging", &read_logging},
      {"mac_address", &field<&Service::mac_address>},
      {"mem_limit", &bytes_field<&Service::mem_limit>},
      {"mem_reservation", &bytes_field<&Service::mem_reservation>},
      {"memswap_limit",
       [](Reader& r, const Node& n, const std::string& p, Service& s) {
         if (n.as_int() == -1)  // unlimited swap
           s.memswap_limit = -1;
         else
           r.bytes(n, p, s.memswap_limit);
       }},
      {"network_mode", &field<&Service::network_mode>},
      {"networks", &read_networks},
      {"oom_kill_disable", &field<&Service::oom_kill_disable>},
      {"oom_score_adj", &field<&Service::oom_score_adj>},
      {"pid", &field<&Service::pid>},
      {"pids_limit", &int64_field<&Service::pids_limit>},
      {"platform", &field<&Service::platform>},
      {"ports",
       [](Reader& r, const Node& n, const std::string& p, Service& s) {
         r.list_of_mappings(n, p, [&](const Node& item, const std::string& ip) {
           read_port(r, item, ip, s.ports.emplace_back());
         });
       }},
      {"privileged", &field<&Service::privileged>},
      {"profiles", &field<&Service::profiles>},
      {"provider", &read_provider},
      {"pull_policy", &field<&Service::pull_policy>},
      {"read_only", &field<&Service::read_only>},
      {"restart", &read_restart},
      {"runtime", &field<&Service::runtime>},
      {"scale", &field<&Service::scale>},
      {"secrets", [](Reader& r, const Node& n, const std::string& p,
                     Service& s) { read_file_refs(r, n, p, s.secrets); }},
      {"security_opt", &field<&Service::security_opt>},
      {"shm_size", &bytes_field<&Service::shm_size>},
      {"stdin_open", &field<&Service::stdin_open>},
      {"stop_grace_period", &field<&Service::stop_grace_period>},
      {"stop_signal", &field<&Service::stop_signal>},
      {"sysctls", &field<&Service::sysctls>},
      {"tmpfs", &field<&Service::tmpfs>},
      {"tty", &field<&Service::tty>},
      {"ulimits", &read_ulimits},
      {"user", &field<&Service::user>},
      {"userns_mode", &field<&Service::userns_mode>},
      {"volumes",
       [](Reader& r, const Node& n, const std::string& p, Service& s) {
         r.list_of_mappings(n, p, [&](const Node& item, const std::string& ip) {
           read_mount(r, item, ip, s.volumes.emplace_back());
         });
       }},
      {"volumes_from", &field<&Service::volumes_from>},
      {"working_dir", &field<&Service::working_dir>},
  };
  return keys;
}

// The x-* keys of a mapping, as a mapping.
Node extensions_of(const Node& m) {
  Node out = Node::mapping(m.mark);
  for (std::size_t i = 0; i < m.keys.size(); ++i)
    if (m.keys[i].name.starts_with("x-")) out.set(m.keys[i].name, m.items[i], m.keys[i].mark);
  return out;
}

// Host name of a top-level resource that normalize left without one (un-normalized input).
std::string default_name(const Node& root, const std::string& key, bool external) {
  if (external) return key;
  const Node* project = root.find("name");
  return project && project->is_scalar() ? project->scalar + "_" + key : key;
}

void bind_networks(Reader& r, const Node& root, Project& project) {
  const Node* networks = root.find("networks");
  if (!networks) return;
  r.entries(*networks, "networks",
            [&](const std::string& key, const Node& v, const std::string& p) {
              Network n;
              if (v.is_mapping()) {
                r.get(v, "name", p, n.name);
                r.get(v, "driver", p, n.driver);
                r.get(v, "driver_opts", p, n.driver_opts);
                r.get(v, "labels", p, n.labels);
                r.get(v, "external", p, n.external);
                r.get(v, "internal", p, n.internal);
                r.get(v, "attachable", p, n.attachable);
                r.get(v, "enable_ipv6", p, n.enable_ipv6);
                if (const Node* ipam = v.find("ipam")) n.ipam = *ipam;
              } else if (!v.is_null()) {
                r.expected(v, p, "a mapping or null");
              }
              if (n.name.empty()) n.name = default_name(root, key, n.external);
              project.networks[key] = std::move(n);
            });
}

void bind_volumes(Reader& r, const Node& root, Project& project) {
  const Node* volumes = root.find("volumes");
  if (!volumes) return;
  r.entries(*volumes, "volumes", [&](const std::string& key, const Node& v, const std::string& p) {
    Volume vol;
    if (v.is_mapping()) {
      r.get(v, "name", p, vol.name);
      r.get(v, "driver", p, vol.driver);
      r.get(v, "driver_opts", p, vol.driver_opts);
      r.get(v, "labels", p, vol.labels);
      r.get(v, "external", p, vol.external);
    } else if (!v.is_null()) {
      r.expected(v, p, "a mapping or null");
    }
    if (vol.name.empty()) vol.name = default_name(root, key, vol.external);
    project.volumes[key] = std::move(vol);
  });
}

void bind_file_objects(Reader& r, const Node& root, std::string_view kind,
                       std::map<std::string, FileObject>& out) {
  const Node* objects = root.find(kind);
  if (!objects) return;
  r.entries(*objects, std::string(kind),
            [&](const std::string& key, const Node& v, const std::string& p) {
              FileObject f;
              if (!v.is_mapping()) return r.expected(v, p, "a mapping");
              r.get(v, "name", p, f.name);
              r.get(v, "file", p, f.file);
              r.get(v, "environment", p, f.environment);
              r.get(v, "content", p, f.content);
              r.get(v, "external", p, f.external);
              r.get(v, "labels", p, f.labels);
              if (f.name.empty()) f.name = default_name(root, key, f.external);
              out[key] = std::move(f);
            });
}

void bind_services(const Node* services, Diagnostics& errors, std::map<std::string, Service>& out) {
  if (!services || services->is_null()) return;
  if (!services->is_mapping()) {
    errors.push_back(
        error_at(*services, "services", "expected a mapping, not " + describe(*services)));
    return;
  }
  for (std::size_t i = 0; i < services->size(); ++i) {
    auto s = bind_service(services->keys[i].name, services->items[i]);
    if (!s) {
      errors.insert(errors.end(), s.errors().begin(), s.errors().end());
      continue;
    }
    out.insert_or_assign(s->name, std::move(s).value());
  }
}

// Canonical JSON text: keys sorted at every level (nlohmann::json keeps objects in a std::map),
// no whitespace. Invalid UTF-8 is replaced rather than thrown.
std::string canonical_json(const Node& n) {
  nlohmann::json sorted = to_json(n);
  return sorted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<Service> bind_service(const std::string& name, const Node& service) {
  Diagnostics errors;
  Reader r(errors);
  const std::string path = child_path("services", name);
  Service s;
  s.name = name;
  s.node = service;
  s.extensions = Node::mapping(service.mark);
  if (service.is_null()) return s;
  if (!service.is_mapping()) {
    r.expected(service, path, "a mapping");
    return errors;
  }
  s.extensions = extensions_of(service);
  const auto& keys = service_keys();
  for (std::size_t i = 0; i < service.size(); ++i) {
    auto it = keys.find(service.keys[i].name);
    if (it != keys.end())
      it->second(r, service.items[i], child_path(path, service.keys[i].name), s);
  }
  read_restart_policy(r, service, path, s);
  if (const Node* d = service.find("deploy"); d && d->is_mapping() && !s.scale)
    if (const Node* n = d->find("replicas"))  // `scale` wins, as in compose-go
      r.read(*n, child_path(child_path(path, "deploy"), "replicas"), s.scale);
  if (has_errors(errors)) return errors;
  return s;
}

Diagnostics bind_project(Node root, const Node& disabled, Project& project) {
  Diagnostics errors;
  Reader r(errors);
  if (const Node* name = root.find("name"); name && name->is_scalar() && project.name.empty())
    project.name = name->scalar;
  bind_services(root.find("services"), errors, project.services);
  bind_services(&disabled, errors, project.disabled_services);
  bind_networks(r, root, project);
  bind_volumes(r, root, project);
  bind_file_objects(r, root, "secrets", project.secrets);
  bind_file_objects(r, root, "configs", project.configs);
  project.extensions = root.is_mapping() ? extensions_of(root) : Node::mapping(root.mark);
  project.node = std::move(root);
  for (auto& d : bind_qpod(project)) errors.push_back(std::move(d));
  return errors;
}

// What decides "recreate the container": the normalized service as canonical JSON, minus what
// never reaches the container. Left out, as docker compose does: `scale` and `deploy.replicas`
// (how many containers, not what each is), `profiles` (whether the service is selected) and
// `pull_policy` (when to pull, not what runs). Of `depends_on` only `required` and `restart` are
// left out: they steer loading and restarts by qpod, never the container; the dependency names
// and conditions stay, as qpod may pass them to podman (--requires). `env_file` is left out
// because its content is already in `environment`, so moving the file changes nothing. `build`
// stays (docker compose drops it and compares image ids instead): a changed build yields a new
// image, which must replace the container.
//
// SHA-1 from Boost's header-only implementation: no crypto library to link, the same digest on
// every machine, and the hash only detects change in the user's own configuration (nobody gains
// by forging a collision), so SHA-1's weakness against crafted collisions does not matter.
std::string service_hash(const Service& service) {
  Node n = service.node;
  if (n.is_mapping()) {
    for (const char* key : {"scale", "profiles", "pull_policy", "env_file"}) n.erase(key);
    if (Node* deploy = n.find("deploy"); deploy && deploy->is_mapping()) {
      deploy->erase("replicas");
      if (deploy->size() == 0) n.erase("deploy");
    }
    if (Node* deps = n.find("depends_on"); deps && deps->is_mapping()) {
      for (Node& d : deps->items) {
        if (!d.is_mapping()) continue;
        d.erase("required");
        d.erase("restart");
      }
    }
  }
  const std::string text = canonical_json(n);
  boost::uuids::detail::sha1 sha;
  sha.process_bytes(text.data(), text.size());
  boost::uuids::detail::sha1::digest_type digest;
  sha.get_digest(digest);
  std::string hex;
  for (auto word : digest) hex += fmt::format("{:0{}x}", word, 2 * sizeof word);
  return hex;
}

}  // namespace qpod::compose
