#include "podman/podman_argv.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "base/hash.h"
#include "base/text.h"
#include "base/version.h"
#include "compose/bind.h"
#include "podman/gpus.h"
#include "podman/labels.h"
#include "podman/lock_dir.h"
#include "podman/port_label.h"

namespace qpod::podman {
namespace {

using compose::Node;
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

// links: "service:alias" makes `alias` a name of `service`; the pod resolves it too.
void collect_link_aliases(const Service& s, std::set<std::string>& hosts) {
  for (const auto& link : s.links)
    if (auto c = link.find(':'); c != std::string::npos) hosts.insert(link.substr(c + 1));
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
  std::set<std::string> hosts, extra, dns, dns_search, dns_opt;
  std::vector<std::string> ports;
  std::map<std::string, std::string> sysctls;
  std::optional<std::int64_t> shm;
  for (const auto& [name, s] : p.services) {
    if (s.provider) continue;  // not in the pod
    collect_hosts(s, hosts);
    collect_link_aliases(s, hosts);
    dns_opt.insert(s.dns_opt.begin(), s.dns_opt.end());
    for (const auto& port : s.ports) ports.push_back(port_spec(port));
    for (const auto& e : s.extra_hosts) extra.insert(extra_host(e));
    dns.insert(s.dns.begin(), s.dns.end());
    dns_search.insert(s.dns_search.begin(), s.dns_search.end());
    sysctls.insert(s.sysctls.begin(), s.sysctls.end());
    if (s.shm_size && (!shm || *s.shm_size > *shm)) shm = s.shm_size;
  }
  if (p.qpod)  // a QPOD template's own `ports` (x-qpod.ports): for the environment's commands
    for (const auto& port : p.qpod->ports) ports.push_back(port_spec(port));
  for (const auto& port : ports) add(a, "-p", port);
  for (const auto& h : hosts) add(a, "--add-host", h + ":127.0.0.1");
  for (const auto& h : extra) add(a, "--add-host", h);
  for (const auto& d : dns) add(a, "--dns", d);
  for (const auto& d : dns_search) add(a, "--dns-search", d);
  for (const auto& d : dns_opt) add(a, "--dns-option", d);
  for (const auto& [k, v] : sysctls) add(a, "--sysctl", k + "=" + v);
  if (shm) add(a, "--shm-size", std::to_string(*shm) + "b");
  return a;
}

std::string restart_policy(const std::string& r) { return r == "no" ? "no" : r; }

void add_file_objects(Argv& a, const Project& p, const Service& s);  // service keys section

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
  add_file_objects(a, p, s);
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

// ---- service keys (keys): resources, logging, secrets and configs

// Log drivers podman has; json-file is podman's alias of k8s-file.
bool podman_log_driver(const std::string& d) {
  return d == "k8s-file" || d == "json-file" || d == "journald" || d == "none" ||
         d == "passthrough";
}

void add_resources(Argv& a, const Service& s) {
  if (!s.cpus.empty() && s.cpus != "0" && s.cpus != "0.0") add(a, "--cpus", s.cpus);
  if (!s.cpuset.empty()) add(a, "--cpuset-cpus", s.cpuset);
  if (s.cpu_shares) add(a, "--cpu-shares", std::to_string(*s.cpu_shares));
  if (s.mem_reservation) add(a, "--memory-reservation", std::to_string(*s.mem_reservation) + "b");
  if (s.memswap_limit)
    add(a, "--memory-swap", *s.memswap_limit < 0 ? "-1" : std::to_string(*s.memswap_limit) + "b");
  if (s.pids_limit) add(a, "--pids-limit", std::to_string(*s.pids_limit));
  if (s.oom_score_adj) add(a, "--oom-score-adj", std::to_string(*s.oom_score_adj));
  if (s.oom_kill_disable) a.push_back("--oom-kill-disable");
  for (const auto& r : s.device_cgroup_rules) add(a, "--device-cgroup-rule", r);
  if (!s.runtime.empty()) add(a, "--runtime", s.runtime);
  if (!s.platform.empty()) add(a, "--platform", s.platform);
  if (s.logging && podman_log_driver(s.logging->driver)) {
    add(a, "--log-driver", s.logging->driver);
    for (const auto& [k, v] : s.logging->options) add(a, "--log-opt", k + "=" + v);
  }
}

// The ulimits the service sets, then for nofile and nproc when it leaves them out (podman would
// set them to 1048576: see HostFacts) the host's.
void add_ulimits(Argv& a, const Service& s, const HostFacts& host) {
  for (const auto& [name, u] : s.ulimits)
    add(a, "--ulimit", name + "=" + std::to_string(u.soft) + ":" + std::to_string(u.hard));
  if (s.ulimits.empty()) return;
  for (const char* name : {"nofile", "nproc"}) {
    if (s.ulimits.count(name)) continue;
    if (auto it = host.default_ulimits.find(name); it != host.default_ulimits.end())
      add(a, "--ulimit", it->second);
  }
}

// ipam: driver, and per config a subnet with its gateway and ip_range (podman pairs them by
// position, so each --subnet comes with its own).
void add_ipam(Argv& a, const Node& ipam) {
  if (!ipam.is_mapping()) return;
  auto text = [](const Node* m, const char* key) -> std::string {
    const Node* v = m && m->is_mapping() ? m->find(key) : nullptr;
    return v && v->is_scalar() ? v->scalar : "";
  };
  if (auto driver = text(&ipam, "driver"); !driver.empty() && driver != "default")
    add(a, "--ipam-driver", driver);
  const Node* configs = ipam.find("config");
  if (!configs || !configs->is_sequence()) return;
  for (const Node& c : configs->items) {
    if (auto subnet = text(&c, "subnet"); !subnet.empty()) add(a, "--subnet", subnet);
    if (auto gw = text(&c, "gateway"); !gw.empty()) add(a, "--gateway", gw);
    if (auto range = text(&c, "ip_range"); !range.empty()) add(a, "--ip-range", range);
  }
}

std::string octal(std::uint32_t mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%o", mode);
  return text;
}

// Secrets and configs, read-only: prepare_host() copies each (`file:`, `environment:`,
// `content:`) to a private file (host_file_path) with the reference's mode, uid and gid, which
// is bind-mounted; an external secret is podman's secret of that name (with uid, gid and mode).
void add_file_objects(Argv& a, const Project& p, const Service& s) {
  auto mounts = [&](const std::vector<compose::FileReference>& refs,
                    const std::map<std::string, compose::FileObject>& objects, bool secret) {
    for (const auto& ref : refs) {
      auto it = objects.find(ref.source);
      if (it == objects.end()) continue;
      const compose::FileObject& o = it->second;
      std::string target = file_object_target(ref, secret);
      if (o.external && secret) {
        std::string spec = o.name + ",type=mount,target=" + target;
        if (!ref.uid.empty()) spec += ",uid=" + ref.uid;
        if (!ref.gid.empty()) spec += ",gid=" + ref.gid;
        if (ref.mode) spec += ",mode=" + octal(*ref.mode);
        add(a, "--secret", spec);
      } else if (!o.file.empty() || !o.environment.empty() || (!secret && !o.content.empty())) {
        add(a, "--volume", host_file_path(p, s, secret, ref) + ":" + target + ":ro");
      }
    }
  };
  mounts(s.secrets, p.secrets, true);
  mounts(s.configs, p.configs, false);
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

Argv with_names(Argv a, const std::vector<std::string>& names) {
  a.insert(a.end(), names.begin(), names.end());
  return a;
}

// deploy.restart_policy beyond what --restart says (bind maps condition and max_attempts).
std::vector<std::string> restart_policy_warnings(const Service& s) {
  const Node* d = s.node.find("deploy");
  const Node* rp = d && d->is_mapping() ? d->find("restart_policy") : nullptr;
  if (!rp || !rp->is_mapping()) return {};
  std::vector<std::string> w;
  for (const char* key : {"delay", "window"})
    if (const Node* v = rp->find(key); v && !v->is_null())
      w.push_back(std::string("deploy.restart_policy.") + key +
                  " is ignored: podman restarts at once (its own back-off), with no " +
                  (std::string(key) == "delay" ? "delay setting" : "window setting"));
  if (const Node* m = rp->find("max_attempts");
      m && m->as_int().value_or(0) > 0 && !s.restart.starts_with("on-failure"))
    w.push_back(
        "deploy.restart_policy.max_attempts is ignored: podman counts attempts only for "
        "condition: on-failure");
  return w;
}

}  // namespace

// ---- names --------------------------------------------------------------------------------------

std::string pod_name(const Project& p) { return p.name; }

std::string container_name(const Project& p, const Service& s) { return container_name(p, s, 1); }

std::string container_name(const Project& p, const Service& s, int number) {
  if (number == 1 && !s.container_name.empty()) return s.container_name;
  return p.name + "-" + s.name + "-" + std::to_string(number);
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

std::string image_of(const Project& p, const Service& s) {
  if (!s.image.empty()) return s.image;
  std::string name = p.name + "-" + s.name;
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// ---- the pod ------------------------------------------------------------------------------------

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

std::string provided_hash(const compose::StringMap& provided) {
  if (provided.empty()) return {};
  std::string text;
  for (const auto& [key, value] : provided) {
    text += key;
    text += '=';
    text += value;
    text += '\0';
  }
  return fnv1a_hex(text);
}

Argv pod_start(const std::string& pod) { return {"pod", "start", pod}; }

Argv pod_rm(const std::string& pod, std::optional<int> timeout_s) {
  Argv a{"pod", "rm", "--force"};
  if (timeout_s) add(a, "--time", std::to_string(*timeout_s));
  a.push_back(pod);
  return a;
}

Argv pod_inspect(const std::string& pod) { return {"pod", "inspect", pod}; }

// ---- containers: a service's keys as flags ------------------------------------------------------

Argv container_create(const Project& p, const Service& s, int number,
                      const compose::StringMap& provided, const HostFacts& host) {
  Argv a{"create", "--name", container_name(p, s, number), "--pod", pod_name(p)};
  for (const auto& [k, v] : s.labels) add_label(a, k, v);
  add_project_labels(a, p);
  add_label(a, labels::kService, s.name);
  add_label(a, labels::kComposeService, s.name);
  add_label(a, labels::kConfigHash, compose::service_hash(s));
  if (!provided.empty()) add_label(a, labels::kProvidedHash, provided_hash(provided));
  add_label(a, labels::kOneoff, "False");
  add_label(a, labels::kComposeOneoff, "False");
  add_label(a, labels::kComposeNumber, std::to_string(number));
  // For ps with the project's name only; not in the config hash (service_hash covers `ports`).
  if (!s.ports.empty()) add_label(a, labels::kPorts, port_label(s.ports));
  for (const auto& [k, v] : s.annotations) add(a, "--annotation", k + "=" + v);
  for (const auto& [k, v] : s.environment)
    if (v && !provided.count(k)) add(a, "--env", k + "=" + *v);  // unset variables stay unset
  for (const auto& [k, v] : provided) add(a, "--env", k + "=" + v);
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
  if (wants_gpus(s) && host.gpu_cdi)
    for (const auto& d : gpu_cdi_devices(s)) add(a, "--device", d);
  for (const auto& g : s.group_add) add(a, "--group-add", g);
  add_ulimits(a, s, host);
  if (s.mem_limit) add(a, "--memory", std::to_string(*s.mem_limit) + "b");
  add_resources(a, s);
  if (s.pid == "host") add(a, "--pid", "host");
  if (s.read_only) a.push_back("--read-only");
  if (s.tty) a.push_back("--tty");
  if (s.stdin_open) a.push_back("--interactive");
  // No --pull: the plan pulls or builds missing images first, as pull_policy says.
  add_mounts(a, p, s);
  if (s.healthcheck) add_healthcheck(a, *s.healthcheck);
  a.push_back(image_of(p, s));
  if (s.command) a.insert(a.end(), s.command->begin(), s.command->end());
  return a;
}

Argv container_run(const Project& p, const Service& s, int number,
                   const compose::StringMap& provided, const HostFacts& host) {
  Argv a = container_create(p, s, number, provided, host);
  a[0] = "run";
  a.insert(a.begin() + 1, "--detach");
  return a;
}

std::string podman_duration(compose::Duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

std::string file_object_target(const compose::FileReference& ref, bool secret) {
  std::string target = ref.target.empty() ? ref.source : ref.target;
  if (target.front() != '/') target = (secret ? "/run/secrets/" : "/") + target;
  return target;
}

std::string host_files_dir(const std::string& project) { return lock_dir() + "/" + project; }

std::string host_file_path(const Project& p, const Service& s, bool secret,
                           const compose::FileReference& ref) {
  // By target, which is unique in the container (one source may be mounted at two targets).
  return host_files_dir(p.name) + "/" + s.name + (secret ? "/secrets" : "/configs") +
         file_object_target(ref, secret);
}

std::vector<std::string> service_warnings(const Project& p, const Service& s,
                                          const HostFacts& host) {
  std::vector<std::string> w;
  const std::string shared = " is ignored: the services of a pod share ";
  if (!s.network_mode.empty() && !s.network_mode.starts_with("service:"))
    w.push_back("network_mode: " + s.network_mode + shared +
                "the pod's network (its ports are published on the pod)");
  for (const auto& [net, cfg] : s.networks)
    if (!cfg.ipv4_address.empty() || !cfg.ipv6_address.empty())
      w.push_back("networks." + net + ".ipv4_address/ipv6_address" + shared +
                  "one address per network, the pod's");
  if (!s.mac_address.empty()) w.push_back("mac_address" + shared + "the pod's network interface");
  if (!s.hostname.empty())
    w.push_back("hostname: " + s.hostname + " resolves to the pod, but the container's hostname" +
                " is the pod's: the services of a pod share one UTS namespace");
  if (!s.domainname.empty()) w.push_back("domainname" + shared + "one UTS namespace");
  if (!s.ipc.empty() && s.ipc != "shareable")
    w.push_back("ipc: " + s.ipc + shared + "one IPC namespace");
  if (!s.pid.empty() && s.pid != "host")
    w.push_back("pid: " + s.pid + " is ignored (only pid: host is)");
  if (!s.userns_mode.empty()) w.push_back("userns_mode" + shared + "the pod's user namespace");
  if (!s.cgroup_parent.empty())
    w.push_back("cgroup_parent is ignored: a pod's containers are in the pod's cgroup");
  if (!s.external_links.empty())
    w.push_back("external_links are ignored: containers outside the pod are not reachable by name");
  if (s.logging && !s.logging->driver.empty() && !podman_log_driver(s.logging->driver))
    w.push_back("logging.driver: " + s.logging->driver +
                " is not a podman log driver (k8s-file, json-file, journald, none, passthrough);"
                " podman's default is used");
  for (const auto& text : restart_policy_warnings(s)) w.push_back(text);
  if (wants_gpus(s) && !host.gpu_cdi)
    w.push_back(std::string("gpus is ignored: no CDI spec for ") + kGpuCdiKind +
                " in /etc/cdi or /var/run/cdi (`nvidia-ctk cdi generate` writes one)");
  // Keys with no podman flag here; named so nobody relies on them silently.
  for (const char* key : {"blkio_config", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
                          "cpu_rt_period", "cpu_rt_runtime", "credential_spec", "isolation",
                          "mem_swappiness", "storage_opt", "use_api_socket"})
    if (s.node.find(key)) w.push_back(std::string(key) + " is not supported by qpod; ignored");
  auto refs = [&](const std::vector<compose::FileReference>& list,
                  const std::map<std::string, compose::FileObject>& objects, const char* kind) {
    for (const auto& ref : list) {
      auto it = objects.find(ref.source);
      if (it == objects.end()) continue;
      const compose::FileObject& o = it->second;
      bool podman_secret = o.external && std::string(kind) == "secrets";
      if (o.external && !podman_secret)
        w.push_back(std::string(kind) + "." + ref.source +
                    ": external configs are not supported (swarm only); not mounted");
    }
  };
  refs(s.secrets, p.secrets, "secrets");
  refs(s.configs, p.configs, "configs");
  return w;
}

// ---- container lifecycle ------------------------------------------------------------------------

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

Argv container_rm(const std::vector<std::string>& names, std::optional<int> timeout_s) {
  Argv a{"rm", "--force", "--volumes"};
  if (timeout_s) add(a, "--time", std::to_string(*timeout_s));
  return with_names(a, names);
}

Argv container_rm_keep_volumes(const std::vector<std::string>& names) {
  return with_names({"rm"}, names);
}

Argv container_kill(const std::vector<std::string>& names, const std::string& signal) {
  return with_names({"kill", "--signal", signal}, names);
}

Argv container_pause(const std::vector<std::string>& names) { return with_names({"pause"}, names); }

Argv container_unpause(const std::vector<std::string>& names) {
  return with_names({"unpause"}, names);
}

Argv container_wait(const std::string& name) { return {"wait", name}; }

Argv container_state(const std::string& name) {
  return {"inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name};
}

Argv healthcheck_run(const std::string& name) { return {"healthcheck", "run", name}; }

Argv health_log(const std::string& name) {
  return {"inspect", "--format", "{{json .State.Health}}", name};
}

// ---- volumes and networks -----------------------------------------------------------------------

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
  // Without --force, which would remove the containers using it: one that qpod did not create
  // keeps the volume (podman's error names it).
  return with_names({"volume", "rm"}, names);
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
    add_ipam(a, n.ipam);
  }
  a.push_back(network_name(p, key));
  return a;
}

Argv network_rm(const std::vector<std::string>& names) {
  // Without --force, which would remove the containers using it (see volume_rm).
  return with_names({"network", "rm"}, names);
}

// ---- listings and inspection (JSON) -------------------------------------------------------------

Argv ps_project(const std::string& project) {
  return {"ps", "--all", "--filter", label_filter(project), "--format", "json"};
}

Argv pod_ps_project(const std::string& project) {
  return {"pod", "ps", "--filter", label_filter(project), "--format", "json"};
}

Argv volume_ls() { return {"volume", "ls", "--format", "json"}; }

Argv network_ls() { return {"network", "ls", "--format", "json"}; }

Argv ps_all_projects(bool all) {
  Argv a{"ps"};
  if (all) a.push_back("--all");
  add(a, "--filter", std::string("label=") + labels::kProject);
  add(a, "--format", "json");
  return a;
}

Argv container_inspect(const std::vector<std::string>& ids) {
  return with_names({"container", "inspect"}, ids);
}

Argv image_inspect(const std::vector<std::string>& refs) {
  return with_names({"image", "inspect"}, refs);
}

Argv container_top(const std::string& name) { return {"top", name}; }

// ---- images: build, pull, remove ----------------------------------------------------------------

Argv image_build(const Project& p, const Service& s, const BuildFlags& f) {
  compose::Build b = s.build.value_or(compose::Build{});
  Argv a{"build", "--tag", image_of(p, s)};
  for (const auto& t : b.tags) add(a, "--tag", t);
  std::string context = b.context.empty() ? p.working_dir : b.context;
  if (!f.dockerfile.empty()) {
    add(a, "--file", f.dockerfile);
  } else if (!b.dockerfile.empty() && b.dockerfile != "Dockerfile") {
    // Relative to the context (podman takes it relative to its cwd). "Dockerfile", the default
    // normalization fills in, is left to podman, which looks for Containerfile, then Dockerfile.
    add(a, "--file", b.dockerfile.front() == '/' ? b.dockerfile : context + "/" + b.dockerfile);
  }
  if (!b.target.empty()) add(a, "--target", b.target);
  for (const auto& [k, v] : b.args) add(a, "--build-arg", v ? k + "=" + *v : k);
  for (const auto& arg : f.build_args) add(a, "--build-arg", arg);
  for (const auto& [k, v] : b.labels) add_label(a, k, v);
  add_label(a, labels::kProject, p.name);
  add_label(a, labels::kService, s.name);
  for (const auto& c : b.cache_from) add(a, "--cache-from", c);
  if (!b.network.empty()) add(a, "--network", b.network);
  if (!s.platform.empty()) add(a, "--platform", s.platform);
  if (f.no_cache) a.push_back("--no-cache");
  if (!f.pull.empty()) a.push_back("--pull=" + f.pull);
  a.push_back(context);
  return a;
}

Argv image_pull(const std::string& image, bool quiet) {
  Argv a{"pull"};
  if (quiet) a.push_back("--quiet");
  a.push_back(image);
  return a;
}

Argv image_exists(const std::string& image) { return {"image", "exists", image}; }

Argv image_inspect_id(const std::string& image) {
  return {"image", "inspect", "--format", "{{.Id}}", image};
}

Argv image_prune_dangling(const std::string& project) {
  return {"image", "prune", "--force", "--filter",
          std::string("label=") + labels::kProject + "=" + project};
}

Argv image_rm(const std::vector<std::string>& images) {
  return with_names({"rmi", "--ignore"}, images);
}

// ---- logs ---------------------------------------------------------------------------------------

Argv container_logs(const std::string& container, const LogsArgs& o) {
  Argv a{"logs"};
  if (o.follow) a.push_back("--follow");
  if (o.timestamps) a.push_back("--timestamps");
  if (!o.tail.empty() && o.tail != "all") add(a, "--tail", o.tail);
  if (!o.since.empty()) add(a, "--since", o.since);
  if (!o.until.empty()) add(a, "--until", o.until);
  a.push_back(container);
  return a;
}

// ---- exec, run, cp: commands in a service's containers ------------------------------------------

Argv container_exec(const Project& p, const Service& s, const ExecArgs& o,
                    const std::vector<std::string>& command) {
  Argv a{"exec"};
  if (o.interactive) a.push_back("--interactive");
  if (o.tty) a.push_back("--tty");
  if (o.detach) a.push_back("--detach");
  if (o.privileged) a.push_back("--privileged");
  for (const auto& e : o.env) add(a, "--env", e);
  if (!o.marker.empty()) add(a, "--env", o.marker);
  if (!o.user.empty()) add(a, "--user", o.user);
  if (!o.workdir.empty()) add(a, "--workdir", o.workdir);
  a.push_back(container_name(p, s, o.index));
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

Argv container_run_oneoff(const Project& p, const Service& s, const OneoffArgs& o,
                          const std::string& suffix, const HostFacts& host) {
  Service one = s;
  one.container_name = oneoff_name(p, s, o, suffix);
  one.restart.clear();
  one.tty = one.stdin_open = false;  // set below, from the command line
  for (const auto& [k, v] : o.provided) one.environment[k] = v;
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
  Argv a = container_create(p, one, 1, {}, host);
  a[0] = "run";
  for (auto& arg : a) {
    if (arg == std::string(labels::kOneoff) + "=False")
      arg = std::string(labels::kOneoff) + "=True";
    if (arg == std::string(labels::kComposeOneoff) + "=False")
      arg = std::string(labels::kComposeOneoff) + "=True";
  }
  Argv flags;
  if (o.rm) flags.push_back("--rm");
  if (o.detach) flags.push_back("--detach");
  if (!o.detach && o.interactive) flags.push_back("--interactive");
  if (o.tty) flags.push_back("--tty");
  for (const auto& v : o.volumes) add(flags, "--volume", v);
  a.insert(a.begin() + 1, flags.begin(), flags.end());
  return a;
}

std::string oneoff_name(const Project& p, const Service& s, const OneoffArgs& o,
                        const std::string& suffix) {
  return o.name.empty() ? p.name + "-" + s.name + "-run-" + suffix : o.name;
}

Argv container_exec_hook(const std::string& container, const compose::ServiceHook& hook) {
  Argv a{"exec"};
  if (hook.privileged) a.push_back("--privileged");
  if (!hook.user.empty()) a.push_back("--user=" + hook.user);
  if (!hook.working_dir.empty()) a.push_back("--workdir=" + hook.working_dir);
  for (const auto& [k, v] : hook.environment) a.push_back("--env=" + (v ? k + "=" + *v : k));
  a.push_back(container);
  a.insert(a.end(), hook.command.begin(), hook.command.end());
  return a;
}

Argv container_cp(const std::string& host, const std::string& container, const std::string& path) {
  return {"cp", host, container + ":" + path};
}

Argv container_exec_rm(const std::string& container, const std::vector<std::string>& paths) {
  Argv a{"exec", container, "rm", "-rf", "--"};
  a.insert(a.end(), paths.begin(), paths.end());
  return a;
}

Argv container_exec_mkdir(const std::string& container, const std::vector<std::string>& dirs) {
  Argv a{"exec", container, "mkdir", "-p", "--"};
  a.insert(a.end(), dirs.begin(), dirs.end());
  return a;
}

// ---- doctor -------------------------------------------------------------------------------------

Argv podman_version() { return {"version", "--format", "json"}; }

Argv podman_info() { return {"info", "--format", "json"}; }

Argv container_run_rm(const std::string& image, const std::vector<std::string>& command) {
  Argv a{"run", "--rm", image};
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

}  // namespace qpod::podman
