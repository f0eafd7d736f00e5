// Pod mode of `qpod kube generate`: one Pod per project, as qpod's own pod (see generate.h).
// The documents are built as compose::Node trees and written by compose::to_yaml (yaml-cpp's
// emitter), so every user value is quoted as YAML needs: no text is pasted together.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "compose/emit.h"
#include "kube/generate.h"
#include "kube/nodes.h"
#include "kube/pod_detail.h"
#include "kube/pod_gates.h"
#include "kube/pod_parts.h"
#include "podman/podman_argv.h"

namespace qpod::kube {

using compose::Node;
using compose::Project;
using compose::Service;

namespace {

std::string image_pull_policy(const Service& s) {
  return s.pull_policy == "always" ? "Always" : s.pull_policy == "never" ? "Never" : "IfNotPresent";
}

}  // namespace

std::string dns_label(const std::string& name) {
  std::string out = dns_subdomain(name);
  for (auto& c : out)
    if (c == '.') c = '-';
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

// Restart: Compose's per-container policy → the Pod's one (Always > OnFailure > Never).
std::string pod_restart_policy(const std::string& compose_restart) {
  if (compose_restart == "always" || compose_restart == "unless-stopped") return "Always";
  if (compose_restart.rfind("on-failure", 0) == 0) return "OnFailure";
  return "Never";
}

int restart_rank(const std::string& policy) {
  return policy == "Always" ? 2 : policy == "OnFailure" ? 1 : 0;
}

// Services that run to completion before the others: a dependency every dependant of which waits
// for with service_completed_successfully, and whose own dependencies are init containers too.
std::vector<std::string> init_services(const Project& p, const graph::ServiceGraph& g,
                                       const std::set<std::string>& selected) {
  std::set<std::string> init;
  for (const auto& name : g.topological_order()) {  // dependencies first
    if (!selected.count(name)) continue;
    const auto& dependants = g.dependants(name);
    bool ok = false;
    for (const auto& d : dependants) {
      if (!selected.count(d)) continue;
      const auto& deps = p.services.at(d).depends_on;
      auto it = deps.find(name);
      if (it == deps.end() || it->second.condition != "service_completed_successfully") {
        ok = false;
        break;
      }
      ok = true;
    }
    for (const auto& dep : g.dependencies(name))
      if (selected.count(dep) && !init.count(dep)) ok = false;
    if (ok) init.insert(name);
  }
  std::vector<std::string> order;
  for (const auto& name : g.topological_order())
    if (init.count(name)) order.push_back(name);
  return order;
}

Node probe(const compose::Healthcheck& h) {
  Node command = Node::sequence();
  if (!h.test.empty() && h.test[0] == "CMD-SHELL") {
    std::string joined;
    for (std::size_t i = 1; i < h.test.size(); ++i) joined += (i > 1 ? " " : "") + h.test[i];
    command = string_list({"sh", "-c", joined});
  } else {
    command = string_list({h.test.begin() + (h.test.empty() ? 0 : 1), h.test.end()});
  }
  Node exec = Node::mapping();
  exec.set("command", std::move(command));
  Node out = Node::mapping();
  out.set("exec", std::move(exec));
  using std::chrono::seconds;
  out.set("initialDelaySeconds", Node::number(ceil_seconds(h.start_period.value_or(seconds(0)))));
  out.set("periodSeconds",
          Node::number(std::max<std::int64_t>(1, ceil_seconds(h.interval.value_or(seconds(30))))));
  out.set("timeoutSeconds",
          Node::number(std::max<std::int64_t>(1, ceil_seconds(h.timeout.value_or(seconds(30))))));
  out.set("failureThreshold", Node::number(std::max(1, h.retries.value_or(3))));
  return out;
}

// --- the generator --------------------------------------------------------------------------

struct PodBuilder {
  PodBuilder(const Project& project, const graph::ServiceGraph& graph, const FileData& data,
             const KubeOptions& options)
      : p(project), g(graph), files(data), opts(options) {}
  const Project& p;
  const graph::ServiceGraph& g;
  const FileData& files;
  const KubeOptions& opts;
  Manifest out{};
  std::vector<Node> documents{};    // PVCs, Secrets, ConfigMaps (the Pod goes last)
  Node volumes = Node::sequence();  // the Pod's volumes
  std::map<std::string, std::string> volume_by_source{};  // "pvc:KEY" → volume name
  std::set<std::string> volume_names{}, container_names{};
  std::map<std::string, std::string> annotations{};
  std::map<std::string, std::string> annotation_owner{};
  std::set<std::string> secret_docs{}, config_docs{};
  std::map<const std::set<std::string>*, std::map<std::string, int>> next_suffix{};
  std::set<std::string> claim_docs{};
  bool cluster = false;             // cluster mode: a readinessProbe too
  const GatePlan* gates = nullptr;  // pod mode: the wrapped commands (pod_gates.h)
  std::string gate_volume{};        // the emptyDir of their markers

  // Cluster mode: each service is a Pod template of its own.
  void reset_pod() {
    volumes = Node::sequence();
    volume_by_source.clear();
    volume_names.clear();
    container_names.clear();
    next_suffix.clear();
  }

  void warn(const std::string& service, const std::string& text) {
    out.warnings.push_back("service " + service + ": " + text);
  }

  // `wanted` as a label, with "-2", "-3"... when taken; the next number to try is kept per
  // base, so that n volumes named "host" cost n lookups, not n^2.
  std::string unique(std::set<std::string>& taken, const std::string& wanted) {
    const std::string base = dns_label(wanted);
    std::string name = base;
    int& next = next_suffix[&taken][base];
    if (next == 0) next = 2;
    while (taken.count(name)) {
      std::string suffix = "-" + std::to_string(next++);
      name = base.substr(0, 63 - suffix.size()) + suffix;
    }
    taken.insert(name);
    return name;
  }

  // The Pod volume for a source, made once ("pvc:KEY", "host:PATH", ...).
  std::string volume(const std::string& source_key, const std::string& wanted, Node source,
                     const std::string& source_field) {
    auto it = volume_by_source.find(source_key);
    if (it != volume_by_source.end()) return it->second;
    std::string name = unique(volume_names, wanted);
    Node v = Node::mapping();
    v.set("name", str(name));
    v.set(source_field, std::move(source));
    volumes.push_back(std::move(v));
    volume_by_source.emplace(source_key, name);
    return name;
  }

  Node claim_document(const std::string& name) {
    Node doc = object("v1", "PersistentVolumeClaim", name);
    Node spec = Node::mapping();
    spec.set("accessModes", string_list({"ReadWriteOnce"}));
    Node req = Node::mapping();
    req.set("storage", str("1Gi"));
    Node res = Node::mapping();
    res.set("requests", std::move(req));
    spec.set("resources", std::move(res));
    doc.set("spec", std::move(spec));
    return doc;
  }

  Node mounts_of(const Service& s) {
    Node mounts = Node::sequence();
    auto add_mount = [&](const std::string& vol, const std::string& path, bool ro,
                         const std::string& sub) {
      Node m = Node::mapping();
      m.set("name", str(vol));
      m.set("mountPath", str(path));
      if (!sub.empty()) m.set("subPath", str(sub));
      if (ro) m.set("readOnly", Node::boolean(true));
      mounts.push_back(std::move(m));
    };
    for (const auto& m : s.volumes) {
      if (m.type == "volume" && !m.source.empty()) {
        auto vit = p.volumes.find(m.source);
        const std::string claim =
            dns_subdomain(vit != p.volumes.end() ? vit->second.name : m.source);
        const bool external = vit != p.volumes.end() && vit->second.external;
        if (claim_docs.insert(claim).second) {
          if (!external && !opts.skip_claims.count(claim))
            documents.push_back(claim_document(claim));
          out.claims.push_back(claim);
          if (vit != p.volumes.end() &&
              (!vit->second.driver.empty() || !vit->second.driver_opts.empty()))
            warn(s.name, "volume " + m.source +
                             ": driver and driver_opts have no Kubernetes form (a PVC of the "
                             "cluster's default storage class)");
        }
        Node src = Node::mapping();
        src.set("claimName", str(claim));
        add_mount(volume("pvc:" + claim, claim, std::move(src), "persistentVolumeClaim"), m.target,
                  m.read_only, m.volume_subpath);
        if (m.volume_nocopy)
          warn(s.name, "volumes " + m.target + ": nocopy has no Kubernetes form");
      } else if (m.type == "volume" || m.type == "tmpfs") {  // anonymous volume, tmpfs
        Node src = Node::mapping();
        if (m.type == "tmpfs") {
          src.set("medium", str("Memory"));
          if (m.tmpfs_size) src.set("sizeLimit", str(std::to_string(*m.tmpfs_size)));
          if (m.tmpfs_mode)
            warn(s.name, "volumes " + m.target + ": tmpfs mode has no Kubernetes form");
        }
        // podman 4.3 makes an emptyDir a volume named as the Pod's volume, shared by every Pod
        // that names it (and removed by kube down): the project name keeps projects apart.
        const std::string key = "empty:" + s.name + ":" + m.target;
        add_mount(volume(key, p.name + "-" + s.name + "-" + (m.type == "tmpfs" ? "tmpfs" : "anon"),
                         std::move(src), "emptyDir"),
                  m.target, m.read_only, "");
      } else if (m.type == "bind") {
        Node src = Node::mapping();
        src.set("path", str(m.source));
        add_mount(volume("host:" + m.source, "host", std::move(src), "hostPath"), m.target,
                  m.read_only, "");
        if (!m.bind_selinux.empty())
          warn(s.name, "volumes " + m.target + ": the SELinux label (" + m.bind_selinux +
                           ") has no Kubernetes form");
        if (!m.bind_propagation.empty())
          warn(s.name, "volumes " + m.target + ": propagation " + m.bind_propagation +
                           " has no Kubernetes form");
        if (!m.bind_create_host_path)
          warn(s.name, "volumes " + m.target + ": create_host_path: false has no Kubernetes form");
      } else {
        warn(s.name, "volumes " + m.target + ": a " + m.type + " mount has no Kubernetes form");
      }
    }
    for (const auto& tmp : s.tmpfs) {
      Node src = Node::mapping();
      src.set("medium", str("Memory"));
      const std::string path = tmp.substr(0, tmp.find(':'));
      if (path.size() != tmp.size())
        warn(s.name, "tmpfs " + tmp + ": its options have no Kubernetes form");
      add_mount(volume("tmpfs:" + s.name + ":" + path, p.name + "-" + s.name + "-tmpfs",
                       std::move(src), "emptyDir"),
                path, false, "");
    }
    file_mounts(s, s.secrets, true, add_mount);
    file_mounts(s, s.configs, false, add_mount);
    return mounts;
  }

  template <class AddMount>
  void file_mounts(const Service& s, const std::vector<compose::FileReference>& refs, bool secret,
                   AddMount& add_mount) {
    const auto& objects = secret ? p.secrets : p.configs;
    const auto& data = secret ? files.secrets : files.configs;
    const char* what = secret ? "secrets" : "configs";
    for (const auto& r : refs) {
      auto oit = objects.find(r.source);
      if (oit == objects.end()) continue;
      const std::string name = dns_subdomain(p.name + "-" + r.source);
      std::string target = r.target.empty() ? r.source : r.target;
      if (target.front() != '/') target = (secret ? "/run/secrets/" : "/") + target;
      if (oit->second.external) {
        warn(s.name, std::string(what) + " " + r.source + ": external, so no " +
                         (secret ? "Secret" : "ConfigMap") + " is written: " + name +
                         " must exist");
      } else {
        auto& made = secret ? secret_docs : config_docs;
        if (made.insert(name).second) {
          auto dit = data.find(r.source);
          const std::string content = dit != data.end() ? dit->second : std::string();
          Node doc = object("v1", secret ? "Secret" : "ConfigMap", name);
          if (secret) doc.set("type", str("Opaque"));
          Node d = Node::mapping();
          d.set(r.source, str(secret ? base64(content) : content));
          doc.set("data", std::move(d));
          documents.push_back(std::move(doc));
          (secret ? out.secrets : out.configs).push_back(name);
        }
      }
      Node src = Node::mapping();
      src.set(secret ? "secretName" : "name", str(name));
      if (r.mode) src.set("defaultMode", Node::number(*r.mode));
      // podman 4.3 reads `optional` through a pointer it does not check: always written.
      src.set("optional", Node::boolean(false));
      add_mount(volume(std::string(what) + ":" + r.source,
                       std::string(secret ? "secret-" : "config-") + r.source, std::move(src),
                       secret ? "secret" : "configMap"),
                target, true, r.source);
      if (!r.uid.empty() || !r.gid.empty())
        warn(s.name, std::string(what) + " " + r.source + ": uid and gid have no Kubernetes form");
    }
  }

  Node container(const Service& s, bool init) {
    Node c = Node::mapping();
    c.set("name", str(unique(container_names, s.name)));
    if (dns_label(s.name) != s.name)
      warn(s.name,
           "its container is named " + dns_label(s.name) + " (Kubernetes names are [a-z0-9-])");
    c.set("image", str(podman::image_of(p, s)));
    c.set("imagePullPolicy", str(image_pull_policy(s)));
    const std::vector<std::string>* wrapped = nullptr;  // its argv behind a wait (pod_gates.h)
    if (gates)
      if (auto it = gates->command.find(s.name); it != gates->command.end()) wrapped = &it->second;
    if (wrapped) {
      c.set("command", string_list(*wrapped));
    } else {
      if (s.entrypoint) c.set("command", string_list(*s.entrypoint));
      if (s.command) c.set("args", string_list(*s.command));
    }
    if (!s.working_dir.empty()) c.set("workingDir", str(s.working_dir));
    if (!s.environment.empty() || wrapped) {
      Node env = Node::sequence();
      if (wrapped) env.push_back(gate_pod_env());
      for (const auto& [k, v] : s.environment) {
        if (!v) {
          warn(s.name, "environment " + k +
                           " has no value (it would come from qpod's environment): left out");
          continue;
        }
        Node e = Node::mapping();
        e.set("name", str(k));
        e.set("value", str(*v));
        env.push_back(std::move(e));
      }
      c.set("env", std::move(env));
    }
    // Only published ports are listed: podman 4.3's kube play publishes every containerPort on
    // the host (hostPort = containerPort when unset), so an unpublished one is left out, which
    // Kubernetes reads the same way (the containers of a Pod reach each other anyway). Cluster
    // mode lists none: its Service reaches the port, and podman would publish each replica's.
    Node ports = Node::sequence();
    for (const auto& port : cluster ? std::vector<compose::Port>{} : s.ports) {
      const std::string text =
          (port.published.empty() ? "" : port.published + ":") + std::to_string(port.target);
      if (port.published.empty()) {
        warn(s.name,
             "ports " + text + ": a random host port has no Kubernetes form (not published)");
        continue;
      }
      if (!all_digits(port.published)) {
        warn(s.name,
             "ports " + text + ": a host port range has no Kubernetes form (not published)");
        continue;
      }
      Node e = Node::mapping();
      e.set("containerPort", Node::number(port.target));
      e.set("hostPort", Node::number(std::stoll(port.published)));
      if (!port.host_ip.empty()) e.set("hostIP", str(port.host_ip));
      if (!port.name.empty()) {
        if (port.name.size() <= 15 && dns_label(port.name) == port.name)
          e.set("name", str(port.name));
        else
          warn(s.name, "ports name " + port.name +
                           ": not a Kubernetes port name ([a-z0-9-], 15 at most): left out");
      }
      if (!port.app_protocol
               .empty())  // a ServicePort's field (cluster mode), not a ContainerPort's
        warn(s.name, "ports " + text + ": app_protocol has no form on a Pod's container port");
      e.set("protocol", str(upper(port.protocol)));
      ports.push_back(std::move(e));
    }
    if (!ports.items.empty()) c.set("ports", std::move(ports));
    Node limits = Node::mapping(), requests = Node::mapping();
    if (!s.cpus.empty()) limits.set("cpu", str(s.cpus));
    if (s.mem_limit) limits.set("memory", str(std::to_string(*s.mem_limit)));
    if (s.mem_reservation) requests.set("memory", str(std::to_string(*s.mem_reservation)));
    if (!limits.items.empty() || !requests.items.empty()) {
      Node res = Node::mapping();
      if (!limits.items.empty()) res.set("limits", std::move(limits));
      if (!requests.items.empty()) res.set("requests", std::move(requests));
      c.set("resources", std::move(res));
    }
    Node mounts = mounts_of(s);
    if (wrapped) mounts.push_back(gate_mount());
    if (!mounts.items.empty()) c.set("volumeMounts", std::move(mounts));
    Node sec = security_context(s);
    if (!sec.items.empty()) c.set("securityContext", std::move(sec));
    if (s.tty) c.set("tty", Node::boolean(true));
    if (s.stdin_open) c.set("stdin", Node::boolean(true));
    if (s.healthcheck && !s.healthcheck->disable && !s.healthcheck->test.empty() &&
        s.healthcheck->test[0] != "NONE") {
      if (init)
        warn(s.name, "healthcheck: an init container has no probes (it runs to completion first)");
      else
        c.set("livenessProbe", probe(*s.healthcheck));
      if (!init && cluster) c.set("readinessProbe", probe(*s.healthcheck));
      if (s.healthcheck->start_interval)
        warn(s.name, "healthcheck.start_interval has no Kubernetes form");
    }
    return c;
  }

  // The Pod's uid for the wrapper (pod_gates.h): its markers are this Pod's only.
  static Node gate_pod_env() {
    Node field = Node::mapping();
    field.set("fieldPath", str("metadata.uid"));
    Node from = Node::mapping();
    from.set("fieldRef", std::move(field));
    Node e = Node::mapping();
    e.set("name", str(kGatePodVariable));
    e.set("valueFrom", std::move(from));
    return e;
  }

  Node gate_mount() {
    Node m = Node::mapping();
    m.set("name", str(gate_volume));
    m.set("mountPath", str(kGateDir));
    return m;
  }

  Node security_context(const Service& s) {
    Node sec = Node::mapping();
    if (!s.user.empty()) {
      const auto colon = s.user.find(':');
      const std::string user = s.user.substr(0, colon);
      const std::string group = colon == std::string::npos ? "" : s.user.substr(colon + 1);
      if (all_digits(user) && (group.empty() || all_digits(group))) {
        sec.set("runAsUser", Node::number(std::stoll(user)));
        if (!group.empty()) sec.set("runAsGroup", Node::number(std::stoll(group)));
      } else {
        warn(s.name, "user " + s.user + ": only numeric users have a Kubernetes form (runAsUser)");
      }
    }
    if (s.privileged) sec.set("privileged", Node::boolean(true));
    if (s.read_only) sec.set("readOnlyRootFilesystem", Node::boolean(true));
    if (!s.cap_add.empty() || !s.cap_drop.empty()) {
      Node caps = Node::mapping();
      if (!s.cap_add.empty()) caps.set("add", string_list(s.cap_add));
      if (!s.cap_drop.empty()) caps.set("drop", string_list(s.cap_drop));
      sec.set("capabilities", std::move(caps));
    }
    return sec;
  }

  void annotate(const Service& s, const compose::StringMap& values, const char* what) {
    for (const auto& [k, v] : values) {
      if (v.size() > 63) {  // podman 4.3's kube play refuses longer annotation values
        warn(s.name,
             std::string(what) + " " + k +
                 ": a value longer than 63 characters is left out (podman kube play refuses it)");
        continue;
      }
      auto [it, fresh] = annotations.emplace(k, v);
      if (fresh) {
        annotation_owner[k] = s.name;
      } else if (it->second != v) {
        warn(s.name,
             std::string(what) + " " + k + ": service " + annotation_owner[k] +
                 " sets another value, which the Pod keeps (one set of annotations per Pod)");
      }
    }
  }
};

// The pod generator's pieces as kube/cluster.cpp uses them (kube/pod_parts.h).
PodParts::PodParts(const Project& p, const graph::ServiceGraph& g, const FileData& files,
                   const KubeOptions& opts)
    : b_(std::make_unique<PodBuilder>(p, g, files, opts)) {
  b_->cluster = true;
}
PodParts::~PodParts() = default;
void PodParts::reset_pod() { b_->reset_pod(); }
Node PodParts::container(const Service& s) { return b_->container(s, false); }
void PodParts::warn(const std::string& service, const std::string& text) {
  b_->warn(service, text);
}
Node& PodParts::volumes() { return b_->volumes; }
std::map<std::string, std::string>& PodParts::annotations() { return b_->annotations; }
void PodParts::annotate(const Service& s, const compose::StringMap& values, const char* what) {
  b_->annotate(s, values, what);
}
std::vector<Node>& PodParts::documents() { return b_->documents; }
Manifest& PodParts::out() { return b_->out; }

Result<Manifest> generate(const Project& p, const graph::ServiceGraph& g, const FileData& files,
                          const KubeOptions& opts) {
  if (opts.mode != "pod" && opts.mode != "cluster") {
    Diagnostic d;
    d.message = "kube generate: mode " + opts.mode + " is not supported (pod, cluster)";
    return d;
  }
  std::set<std::string> selected;
  if (opts.services.empty()) {
    for (const auto& [name, s] : p.services) selected.insert(name);
  } else {
    auto sel = g.select_checked(opts.services, true);
    if (!sel) return sel.errors();
    selected = *sel;
  }
  if (opts.mode == "cluster") return generate_cluster(p, g, files, opts, selected);
  PodBuilder b(p, g, files, opts);
  b.out.pod = dns_subdomain(podman::pod_name(p));
  if (b.out.pod != podman::pod_name(p))
    b.out.warnings.push_back("the Pod is named " + b.out.pod +
                             " (Kubernetes names are [a-z0-9.-])");

  auto init = init_services(p, g, selected);
  // podman 4.3 runs init containers under the Pod's restartPolicy: under Always a one-shot
  // would run again and again. Then the gates run it (pod_gates.h, mode once) instead.
  bool always = false;
  for (const auto& name : selected)
    if (std::find(init.begin(), init.end(), name) == init.end())
      always |= pod_restart_policy(p.services.at(name).restart) == "Always";
  if (always) init.clear();
  const std::set<std::string> init_set(init.begin(), init.end());
  Node init_containers = Node::sequence(), containers = Node::sequence();
  std::vector<std::string> hostnames;
  std::set<std::string> hostname_set;
  auto add_host = [&](const std::string& h) {
    if (hostname_set.insert(h).second) hostnames.push_back(h);
  };
  std::map<std::string, std::vector<std::string>> extra_hosts;  // ip → names
  std::string restart;
  std::string restart_owner;
  std::int64_t grace = -1;
  std::set<std::string> plain;  // the Pod's containers
  for (const auto& name : selected)
    if (!init_set.count(name)) plain.insert(name);
  const GatePlan gates = plan_gates(p, plain, init_set, files.images);
  b.gates = &gates;
  if (!gates.command.empty())  // the markers' folder, shared by the wrapped containers
    b.gate_volume = b.volume("gates:", b.out.pod + "-qpod-gates", Node::mapping(), "emptyDir");
  for (const auto& name : init) init_containers.push_back(b.container(p.services.at(name), true));
  for (const auto& name : selected) {
    const Service& s = p.services.at(name);
    if (!init_set.count(name)) containers.push_back(b.container(s, false));
    add_host(name);
    for (const auto& [net, sn] : s.networks)
      for (const auto& a : sn.aliases) add_host(a);
    for (const auto& link : s.links) {
      const auto colon = link.find(':');
      if (colon != std::string::npos) add_host(link.substr(colon + 1));
    }
    if (!s.hostname.empty()) add_host(s.hostname);
    for (const auto& eh : s.extra_hosts) {
      auto sep = eh.find('=');
      if (sep == std::string::npos) sep = eh.find(':');
      if (sep == std::string::npos) continue;
      extra_hosts[eh.substr(sep + 1)].push_back(eh.substr(0, sep));
    }
    if (!init_set.count(name)) {
      const std::string policy = pod_restart_policy(s.restart);
      if (restart.empty() || restart_rank(policy) > restart_rank(restart)) {
        restart = policy;
        restart_owner = name;
      }
    }
    if (s.stop_grace_period) grace = std::max(grace, ceil_seconds(*s.stop_grace_period));
    b.annotate(s, s.labels, "labels");
    b.annotate(s, s.annotations, "annotations");
    warn_unmapped(s, false, [&](const std::string& t) { b.warn(name, t); });
  }
  b.out.warnings.insert(b.out.warnings.end(), gates.warnings.begin(), gates.warnings.end());
  if (restart.empty()) restart = "Never";
  for (const auto& name : selected) {
    if (init_set.count(name)) continue;
    const std::string policy = pod_restart_policy(p.services.at(name).restart);
    if (policy != restart)
      b.warn(name, "restart " +
                       (p.services.at(name).restart.empty() ? std::string("no")
                                                            : p.services.at(name).restart) +
                       ": the Pod has one restartPolicy, " + restart + " (from service " +
                       restart_owner + ")");
  }

  Node spec = Node::mapping();
  spec.set("restartPolicy", str(restart));
  if (grace >= 0) spec.set("terminationGracePeriodSeconds", Node::number(grace));
  Node aliases = Node::sequence();
  Node local = Node::mapping();
  local.set("ip", str("127.0.0.1"));
  local.set("hostnames", string_list(hostnames));
  aliases.push_back(std::move(local));
  for (const auto& [ip, names] : extra_hosts) {
    if (ip == "host-gateway") {
      b.out.warnings.push_back("extra_hosts " + names.front() +
                               ":host-gateway has no Kubernetes form");
      continue;
    }
    Node e = Node::mapping();
    e.set("ip", str(ip));
    e.set("hostnames", string_list(names));
    aliases.push_back(std::move(e));
  }
  spec.set("hostAliases", std::move(aliases));
  if (!init_containers.items.empty()) spec.set("initContainers", std::move(init_containers));
  spec.set("containers", std::move(containers));
  if (!b.volumes.items.empty()) spec.set("volumes", std::move(b.volumes));

  Node labels = Node::mapping();
  labels.set("app.kubernetes.io/part-of", str(dns_label(p.name)));
  Node pod = object("v1", "Pod", b.out.pod, &labels);
  if (!b.annotations.empty())
    pod.find("metadata")->set("annotations", annotations_node(b.annotations));
  pod.set("spec", std::move(spec));

  std::string text;
  for (const auto& doc : b.documents) text += compose::to_yaml(doc) + "---\n";
  text += compose::to_yaml(pod);
  b.out.yaml = std::move(text);
  return std::move(b.out);
}

}  // namespace qpod::kube
