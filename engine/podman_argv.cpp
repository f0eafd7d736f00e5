#include "engine/podman_argv.h"

#include <nlohmann/json.hpp>
#include <set>

#include "compose/bind.h"
#include "engine/labels.h"
#include "engine/text.h"
#include "engine/version.h"

namespace qpod::engine {
namespace {

using compose::Project;
using compose::Service;

void add(Argv& a, const char* flag, const std::string& value) {
  a.push_back(flag);
  a.push_back(value);
}

void add_label(Argv& a, const std::string& key, const std::string& value) {
  add(a, "--label", key + "=" + value);
}

// Labels every object of the project carries.
void add_project_labels(Argv& a, const Project& p) {
  add_label(a, labels::kProject, p.name);
  add_label(a, labels::kComposeProject, p.name);
  add_label(a, labels::kVersion, version());
  if (!p.working_dir.empty()) add_label(a, labels::kWorkingDir, p.working_dir);
  if (!p.config_files.empty()) add_label(a, labels::kConfigFiles, join(p.config_files, ","));
}

// "[ip:][published:]target[/protocol]"
std::string port_spec(const compose::Port& port) {
  std::string s;
  if (!port.host_ip.empty()) {
    bool v6 = port.host_ip.find(':') != std::string::npos;
    s += v6 ? "[" + port.host_ip + "]:" : port.host_ip + ":";
    s += port.published + ":";  // an empty published port with an ip: "ip::target"
  } else if (!port.published.empty()) {
    s += port.published + ":";
  }
  s += std::to_string(port.target);
  if (!port.protocol.empty() && port.protocol != "tcp") s += "/" + port.protocol;
  return s;
}

// The names other services reach `s` by: its key, container_name, hostname, network aliases.
void collect_hosts(const Service& s, std::set<std::string>& hosts) {
  hosts.insert(s.name);
  if (!s.container_name.empty()) hosts.insert(s.container_name);
  if (!s.hostname.empty()) hosts.insert(s.hostname);
  for (const auto& [net, cfg] : s.networks) hosts.insert(cfg.aliases.begin(), cfg.aliases.end());
}

// extra_hosts entries are "host=ip" or "host:ip"; podman wants "host:ip".
std::string extra_host(const std::string& entry) {
  auto eq = entry.find('=');
  if (eq == std::string::npos) return entry;
  return entry.substr(0, eq) + ":" + entry.substr(eq + 1);
}

Argv pod_create_without_hash(const Project& p) {
  Argv a{"pod", "create", "--name", pod_name(p), "--infra", "--infra-name", pod_name(p) + "-infra"};
  add_project_labels(a, p);
  for (const auto& key : pod_networks(p)) add(a, "--network", network_name(p, key));
  std::set<std::string> hosts, extra, dns, dns_search;
  std::vector<std::string> ports;
  std::map<std::string, std::string> sysctls;
  std::optional<std::int64_t> shm;
  for (const auto& [name, s] : p.services) {
    collect_hosts(s, hosts);
    for (const auto& port : s.ports) ports.push_back(port_spec(port));
    for (const auto& e : s.extra_hosts) extra.insert(extra_host(e));
    dns.insert(s.dns.begin(), s.dns.end());
    dns_search.insert(s.dns_search.begin(), s.dns_search.end());
    sysctls.insert(s.sysctls.begin(), s.sysctls.end());
    if (s.shm_size && (!shm || *s.shm_size > *shm)) shm = s.shm_size;
  }
  for (const auto& port : ports) add(a, "-p", port);
  for (const auto& h : hosts) add(a, "--add-host", h + ":127.0.0.1");
  for (const auto& h : extra) add(a, "--add-host", h);
  for (const auto& d : dns) add(a, "--dns", d);
  for (const auto& d : dns_search) add(a, "--dns-search", d);
  for (const auto& [k, v] : sysctls) add(a, "--sysctl", k + "=" + v);
  if (shm) add(a, "--shm-size", std::to_string(*shm) + "b");
  return a;
}

std::string restart_policy(const std::string& r) { return r == "no" ? "no" : r; }

void add_mounts(Argv& a, const Project& p, const Service& s) {
  for (const auto& m : s.volumes) {
    std::vector<std::string> opts;
    if (m.read_only) opts.push_back("ro");
    if (m.type == "bind") {
      if (!m.bind_selinux.empty()) opts.push_back(m.bind_selinux);
      if (!m.bind_propagation.empty()) opts.push_back(m.bind_propagation);
      std::string spec = m.source + ":" + m.target;
      add(a, "--volume", opts.empty() ? spec : spec + ":" + join(opts, ","));
    } else if (m.type == "volume") {
      if (m.volume_nocopy) opts.push_back("nocopy");
      std::string spec = m.source.empty() ? m.target : volume_name(p, m.source) + ":" + m.target;
      add(a, "--volume", opts.empty() ? spec : spec + ":" + join(opts, ","));
    } else if (m.type == "tmpfs") {
      std::vector<std::string> t;
      if (m.tmpfs_size) t.push_back("size=" + std::to_string(*m.tmpfs_size));
      if (m.tmpfs_mode) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%o", *m.tmpfs_mode);
        t.push_back(std::string("mode=") + mode);
      }
      add(a, "--tmpfs", t.empty() ? m.target : m.target + ":" + join(t, ","));
    }
  }
  for (const auto& t : s.tmpfs) add(a, "--tmpfs", t);
  // Secrets and configs backed by a file are read-only bind mounts, as in docker compose.
  auto file_mounts = [&](const std::vector<compose::FileReference>& refs,
                         const std::map<std::string, compose::FileObject>& objects,
                         const std::string& dir) {
    for (const auto& ref : refs) {
      auto it = objects.find(ref.source);
      if (it == objects.end() || it->second.file.empty()) continue;
      std::string target = ref.target.empty() ? ref.source : ref.target;
      if (target.front() != '/') target = dir + target;
      add(a, "--volume", it->second.file + ":" + target + ":ro");
    }
  };
  file_mounts(s.secrets, p.secrets, "/run/secrets/");
  file_mounts(s.configs, p.configs, "/");
  for (const auto& from : s.volumes_from) {
    // "service[:ro]" or "container:name[:ro]"
    std::string name = from, mode;
    if (name.rfind("container:", 0) == 0) name = name.substr(10);
    if (auto c = name.find(':'); c != std::string::npos) {
      mode = name.substr(c);
      name = name.substr(0, c);
    }
    if (from.rfind("container:", 0) != 0) {
      if (auto it = p.services.find(name); it != p.services.end())
        name = container_name(p, it->second);
    }
    add(a, "--volumes-from", name + mode);
  }
}

void add_healthcheck(Argv& a, const compose::Healthcheck& h) {
  if (h.disable || (!h.test.empty() && h.test[0] == "NONE")) {
    a.push_back("--no-healthcheck");
    return;
  }
  if (h.test.empty()) return;  // podman applies the timings only with a command
  nlohmann::json cmd = nlohmann::json::array();
  if (h.test[0] == "CMD-SHELL") {
    cmd = h.test;  // kept as is by podman
  } else {
    // Podman 4 takes a JSON array *without* "CMD" as an exec-form check.
    for (std::size_t i = h.test[0] == "CMD" ? 1 : 0; i < h.test.size(); ++i)
      cmd.push_back(h.test[i]);
  }
  add(a, "--health-cmd", cmd.dump());
  if (h.interval) add(a, "--health-interval", podman_duration(*h.interval));
  if (h.timeout) add(a, "--health-timeout", podman_duration(*h.timeout));
  if (h.start_period) add(a, "--health-start-period", podman_duration(*h.start_period));
  if (h.retries) add(a, "--health-retries", std::to_string(*h.retries));
}

std::string pull_policy(const std::string& policy) {
  if (policy == "if_not_present") return "missing";
  if (policy == "always" || policy == "never" || policy == "missing" || policy == "newer")
    return policy;
  return "";
}

Argv with_names(Argv a, const std::vector<std::string>& names) {
  a.insert(a.end(), names.begin(), names.end());
  return a;
}

}  // namespace

std::string pod_name(const Project& p) { return p.name; }

std::string container_name(const Project& p, const Service& s) {
  return s.container_name.empty() ? p.name + "-" + s.name + "-1" : s.container_name;
}

std::string volume_name(const Project& p, const std::string& key) {
  auto it = p.volumes.find(key);
  if (it != p.volumes.end() && !it->second.name.empty()) return it->second.name;
  return p.name + "_" + key;
}

std::string network_name(const Project& p, const std::string& key) {
  auto it = p.networks.find(key);
  if (it != p.networks.end() && !it->second.name.empty()) return it->second.name;
  return p.name + "_" + key;
}

std::string label_filter(const std::string& project) {
  return std::string("label=") + labels::kProject + "=" + project;
}

// The implicit "default" network, which nothing configures: the pod stays on podman's own
// network instead (nothing to create or remove, and one podman call less).
bool plain_default(const Project& p, const std::string& key) {
  if (key != "default") return false;
  auto it = p.networks.find(key);
  if (it == p.networks.end()) return true;
  const compose::Network& n = it->second;
  return (n.name.empty() || n.name == p.name + "_default") && n.driver.empty() &&
         n.driver_opts.empty() && n.labels.empty() && !n.external && !n.internal &&
         !n.enable_ipv6 && (n.ipam.is_null() || n.ipam.size() == 0);
}

std::vector<std::string> pod_networks(const Project& p) {
  std::set<std::string> used;
  for (const auto& [name, s] : p.services)
    for (const auto& [net, cfg] : s.networks) used.insert(net);
  if (used.empty() || (used.size() == 1 && plain_default(p, *used.begin()))) return {};
  return {used.begin(), used.end()};
}

Argv pod_create(const Project& p) {
  Argv a = pod_create_without_hash(p);
  add_label(a, labels::kConfigHash, pod_hash(p));
  return a;
}

std::string pod_hash(const Project& p) {
  Argv a = pod_create_without_hash(p);
  std::string text;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // The version and where the files are do not change the pod.
    if (a[i] == "--label" && i + 1 < a.size() && a[i + 1].rfind("io.qpod.", 0) == 0) {
      ++i;
      continue;
    }
    text += a[i];
    text += '\0';
  }
  return fnv1a_hex(text);
}

Argv container_create(const Project& p, const Service& s) {
  Argv a{"create", "--name", container_name(p, s), "--pod", pod_name(p)};
  for (const auto& [k, v] : s.labels) add_label(a, k, v);
  add_project_labels(a, p);
  add_label(a, labels::kService, s.name);
  add_label(a, labels::kComposeService, s.name);
  add_label(a, labels::kConfigHash, compose::service_hash(s));
  add_label(a, labels::kOneoff, "False");
  add_label(a, labels::kComposeOneoff, "False");
  add_label(a, labels::kComposeNumber, "1");
  for (const auto& [k, v] : s.annotations) add(a, "--annotation", k + "=" + v);
  for (const auto& [k, v] : s.environment)
    if (v) add(a, "--env", k + "=" + *v);  // unset variables stay unset
  if (s.entrypoint) add(a, "--entrypoint", nlohmann::json(*s.entrypoint).dump());
  if (!s.working_dir.empty()) add(a, "--workdir", s.working_dir);
  if (!s.user.empty()) add(a, "--user", s.user);
  if (!s.restart.empty()) add(a, "--restart", restart_policy(s.restart));
  if (!s.stop_signal.empty()) add(a, "--stop-signal", s.stop_signal);
  if (s.stop_grace_period) {
    auto ns = s.stop_grace_period->count();
    add(a, "--stop-timeout", std::to_string((ns + 999'999'999) / 1'000'000'000));
  }
  if (s.init.value_or(false)) a.push_back("--init");
  if (s.privileged) a.push_back("--privileged");
  for (const auto& c : s.cap_add) add(a, "--cap-add", c);
  for (const auto& c : s.cap_drop) add(a, "--cap-drop", c);
  for (const auto& o : s.security_opt) add(a, "--security-opt", o);
  for (const auto& d : s.devices) add(a, "--device", d);
  for (const auto& g : s.group_add) add(a, "--group-add", g);
  for (const auto& [name, u] : s.ulimits)
    add(a, "--ulimit", name + "=" + std::to_string(u.soft) + ":" + std::to_string(u.hard));
  if (s.mem_limit) add(a, "--memory", std::to_string(*s.mem_limit) + "b");
  if (s.pid == "host") add(a, "--pid", "host");
  if (s.read_only) a.push_back("--read-only");
  if (s.tty) a.push_back("--tty");
  if (s.stdin_open) a.push_back("--interactive");
  if (auto pull = pull_policy(s.pull_policy); !pull.empty()) add(a, "--pull", pull);
  add_mounts(a, p, s);
  if (s.healthcheck) add_healthcheck(a, *s.healthcheck);
  a.push_back(s.image.empty() ? p.name + "-" + s.name : s.image);
  if (s.command) a.insert(a.end(), s.command->begin(), s.command->end());
  return a;
}

Argv container_run(const Project& p, const Service& s) {
  Argv a = container_create(p, s);
  a[0] = "run";
  a.insert(a.begin() + 1, "--detach");
  return a;
}

Argv container_start(const std::vector<std::string>& names) { return with_names({"start"}, names); }

Argv container_stop(const std::vector<std::string>& names, std::optional<int> timeout_s) {
  Argv a{"stop"};
  if (timeout_s) add(a, "--time", std::to_string(*timeout_s));
  return with_names(std::move(a), names);
}

Argv container_restart(const std::vector<std::string>& names, std::optional<int> timeout_s) {
  Argv a{"restart"};
  if (timeout_s) add(a, "--time", std::to_string(*timeout_s));
  return with_names(std::move(a), names);
}

Argv container_rm(const std::vector<std::string>& names) {
  return with_names({"rm", "--force", "--volumes"}, names);
}

Argv container_wait(const std::string& name) { return {"wait", name}; }
Argv healthcheck_run(const std::string& name) { return {"healthcheck", "run", name}; }
Argv health_log(const std::string& name) {
  return {"inspect", "--format", "{{json .State.Health}}", name};
}

Argv pod_rm(const std::string& pod, std::optional<int> timeout_s) {
  Argv a{"pod", "rm", "--force"};
  if (timeout_s) add(a, "--time", std::to_string(*timeout_s));
  a.push_back(pod);
  return a;
}

Argv volume_create(const Project& p, const std::string& key) {
  Argv a{"volume", "create"};
  add_project_labels(a, p);
  add_label(a, labels::kVolume, key);
  if (auto it = p.volumes.find(key); it != p.volumes.end()) {
    for (const auto& [k, v] : it->second.labels) add_label(a, k, v);
    if (!it->second.driver.empty()) add(a, "--driver", it->second.driver);
    for (const auto& [k, v] : it->second.driver_opts) add(a, "--opt", k + "=" + v);
  }
  a.push_back(volume_name(p, key));
  return a;
}

Argv volume_rm(const std::vector<std::string>& names) {
  return with_names({"volume", "rm", "--force"}, names);
}

Argv network_create(const Project& p, const std::string& key) {
  Argv a{"network", "create"};
  add_project_labels(a, p);
  add_label(a, labels::kNetwork, key);
  if (auto it = p.networks.find(key); it != p.networks.end()) {
    const auto& n = it->second;
    for (const auto& [k, v] : n.labels) add_label(a, k, v);
    if (!n.driver.empty()) add(a, "--driver", n.driver);
    for (const auto& [k, v] : n.driver_opts) add(a, "--opt", k + "=" + v);
    if (n.internal) a.push_back("--internal");
    if (n.enable_ipv6.value_or(false)) a.push_back("--ipv6");
  }
  a.push_back(network_name(p, key));
  return a;
}

Argv network_rm(const std::vector<std::string>& names) {
  return with_names({"network", "rm", "--force"}, names);
}

Argv ps_project(const std::string& project) {
  return {"ps", "--all", "--filter", label_filter(project), "--format", "json"};
}
Argv pod_ps_project(const std::string& project) {
  return {"pod", "ps", "--filter", label_filter(project), "--format", "json"};
}
Argv volume_ls() { return {"volume", "ls", "--format", "json"}; }
Argv network_ls() { return {"network", "ls", "--format", "json"}; }

std::string podman_duration(compose::Duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// ---- exec/run (qenv) ------------------------------------------------------------------------

Argv container_exec(const Project& p, const Service& s, const ExecArgs& o,
                    const std::vector<std::string>& command) {
  Argv a{"exec", "--interactive"};
  if (o.tty) a.push_back("--tty");
  if (o.detach) a.push_back("--detach");
  for (const auto& e : o.env) add(a, "--env", e);
  if (!o.marker.empty()) add(a, "--env", o.marker);
  if (!o.user.empty()) add(a, "--user", o.user);
  if (!o.workdir.empty()) add(a, "--workdir", o.workdir);
  a.push_back(o.index == 1 ? container_name(p, s)
                           : p.name + "-" + s.name + "-" + std::to_string(o.index));
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

Argv container_run_oneoff(const Project& p, const Service& s, const OneoffArgs& o,
                          const std::string& suffix) {
  Service one = s;
  one.container_name = o.name.empty() ? p.name + "-" + s.name + "-run-" + suffix : o.name;
  one.restart.clear();
  one.tty = one.stdin_open = false;  // set below, from the command line
  for (const auto& e : o.env) {
    auto eq = e.find('=');
    if (eq == std::string::npos)
      one.environment[e] = std::nullopt;
    else
      one.environment[e.substr(0, eq)] = e.substr(eq + 1);
  }
  if (o.entrypoint) one.entrypoint = std::vector<std::string>{*o.entrypoint};
  if (!o.user.empty()) one.user = o.user;
  if (!o.workdir.empty()) one.working_dir = o.workdir;
  if (o.command) one.command = *o.command;
  Argv a = container_create(p, one);
  a[0] = "run";
  for (auto& arg : a) {
    if (arg == std::string(labels::kOneoff) + "=False") arg = std::string(labels::kOneoff) + "=True";
    if (arg == std::string(labels::kComposeOneoff) + "=False")
      arg = std::string(labels::kComposeOneoff) + "=True";
  }
  Argv flags;
  if (o.rm) flags.push_back("--rm");
  if (o.detach) flags.push_back("--detach");
  if (!o.detach) flags.push_back("--interactive");
  if (o.tty) flags.push_back("--tty");
  a.insert(a.begin() + 1, flags.begin(), flags.end());
  return a;
}

Argv service_logs_passthrough(const Project& p, const Service& s, bool follow,
                              const std::string& tail) {
  Argv a{"logs"};
  if (follow) a.push_back("--follow");
  if (!tail.empty()) add(a, "--tail", tail);
  a.push_back(container_name(p, s));
  return a;
}

}  // namespace qpod::engine
