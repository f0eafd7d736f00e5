// Cluster mode of `qpod kube generate` (see generate.h and docs/KUBE-KEYS.md): a Deployment per
// service (a Job for a one-shot service that others wait for with service_completed_successfully),
// a Service per service with ports or expose and one per network alias, readiness-gated
// initContainers for service_healthy dependencies, and the same PVCs, Secrets and ConfigMaps as
// pod mode.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/text.h"
#include "compose/emit.h"
#include "kube/cluster_detail.h"
#include "kube/generate.h"
#include "kube/nodes.h"
#include "kube/pod_detail.h"
#include "kube/pod_parts.h"

namespace qpod::kube {

using compose::Node;
using compose::Project;
using compose::Service;

bool dns1035_label(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  if (name.front() < 'a' || name.front() > 'z' || name.back() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::string wait_image(const Project& p, const KubeOptions& opts) {
  if (!opts.wait_image.empty()) return opts.wait_image;
  if (const Node* x = p.extensions.find("x-kube"); x && x->is_mapping())
    if (const Node* img = x->find("wait-image"); img && img->is_string() && !img->str().empty())
      return img->str();
  return kDefaultWaitImage;
}

ServicePorts service_ports(const Service& s, const std::function<void(const std::string&)>& warn) {
  ServicePorts ports;
  for (const auto& port : s.ports) {
    auto& app = ports[{port.target, upper(port.protocol)}];
    if (app.empty()) app = port.app_protocol;
  }
  for (const auto& e : s.expose) {
    const auto slash = e.find('/');
    const std::string num = e.substr(0, slash);
    const std::string proto = slash == std::string::npos ? "TCP" : upper(e.substr(slash + 1));
    if (all_digits(num))
      ports.emplace(std::make_pair(static_cast<std::uint32_t>(std::stoul(num)), proto), "");
    else
      warn("expose " + e + ": a port range has no Kubernetes Service form");
  }
  return ports;
}

// The script is constant: the host and port come in as environment variables, never as text
// pasted into it. busybox's nc connects, runs `true` and closes; a Service's address takes the
// connection only while one of its Pods is ready, so the wait ends when the dependency is healthy.
Node wait_container(const std::string& name, const std::string& image, const std::string& host,
                    std::uint32_t port) {
  Node c = Node::mapping();
  c.set("name", str(name));
  c.set("image", str(image));
  c.set("imagePullPolicy", str("IfNotPresent"));
  c.set("command", string_list({"sh", "-c", kWaitScript}));
  Node env = Node::sequence();
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"QPOD_WAIT_HOST", host},
                             {"QPOD_WAIT_PORT", std::to_string(port)}}) {
    Node e = Node::mapping();
    e.set("name", str(k));
    e.set("value", str(v));
    env.push_back(std::move(e));
  }
  c.set("env", std::move(env));
  return c;
}

std::set<std::string> job_services(const Project& p, const std::set<std::string>& selected) {
  std::set<std::string> jobs;
  for (const auto& name : selected)
    for (const auto& [dep, d] : p.services.at(name).depends_on)
      if (selected.count(dep) && d.condition == "service_completed_successfully" &&
          pod_restart_policy(p.services.at(dep).restart) != "Always")
        jobs.insert(dep);
  return jobs;
}

namespace {

Node service_document(const std::string& name, const Node& labels, const ServicePorts& ports) {
  Node list = Node::sequence();
  for (const auto& [key, app] : ports) {
    const auto& [num, proto] = key;
    Node e = Node::mapping();
    std::string pname = proto == "TCP" ? "p" : (proto == "UDP" ? "u" : "s");
    e.set("name", str(pname + std::to_string(num)));
    e.set("port", Node::number(num));
    e.set("targetPort", Node::number(num));
    e.set("protocol", str(proto));
    if (!app.empty()) e.set("appProtocol", str(app));
    list.push_back(std::move(e));
  }
  Node sspec = Node::mapping();
  sspec.set("selector", labels);
  sspec.set("ports", std::move(list));
  Node svc = object("v1", "Service", name, &labels);
  svc.set("spec", std::move(sspec));
  return svc;
}

// hostname → the Pod's `hostname`; extra_hosts → its `hostAliases` (IP → names); a link's alias
// has no Service of its own (the linked service's name has).
void host_keys(const Service& s, Node& pod_spec,
               const std::function<void(const std::string&)>& warn) {
  if (!s.hostname.empty()) {
    if (dns_label(s.hostname) == s.hostname)
      pod_spec.set("hostname", str(s.hostname));
    else
      warn("hostname " + s.hostname +
           ": not a DNS-1123 label, which a Pod's hostname must be: left out");
  }
  std::map<std::string, std::vector<std::string>> by_ip;
  for (const auto& eh : s.extra_hosts) {
    auto sep = eh.find('=');
    if (sep == std::string::npos) sep = eh.find(':');
    if (sep == std::string::npos) continue;
    const std::string ip = eh.substr(sep + 1);
    if (ip == "host-gateway")
      warn("extra_hosts " + eh + ": host-gateway has no Kubernetes form");
    else
      by_ip[ip].push_back(eh.substr(0, sep));
  }
  if (!by_ip.empty()) {
    Node aliases = Node::sequence();
    for (const auto& [ip, names] : by_ip) {
      Node e = Node::mapping();
      e.set("ip", str(ip));
      e.set("hostnames", string_list(names));
      aliases.push_back(std::move(e));
    }
    pod_spec.set("hostAliases", std::move(aliases));
  }
  for (const auto& link : s.links)
    if (const auto colon = link.find(':'); colon != std::string::npos)
      warn("links " + link +
           ": the alias has no Service (only the service's name resolves; a network alias gets "
           "one)");
}

// The name of a service's Service: its name as a label, when that is a DNS-1035 label.
std::string service_name(const std::string& name) {
  const std::string label = dns_label(name);
  return dns1035_label(label) ? label : std::string();
}

}  // namespace

Result<Manifest> generate_cluster(const Project& p, const graph::ServiceGraph& g,
                                  const FileData& files, const KubeOptions& opts,
                                  const std::set<std::string>& selected) {
  PodParts b(p, g, files, opts);
  const std::string image = wait_image(p, opts);
  const auto jobs = job_services(p, selected);
  // Each selected service's Service ports (warned once, here) and Service names taken so far:
  // the services' own first, so that an alias never takes a service's name.
  std::map<std::string, ServicePorts> ports_of;
  std::set<std::string> service_names;
  for (const auto& name : selected) {
    ports_of[name] =
        service_ports(p.services.at(name), [&](const std::string& t) { b.warn(name, t); });
    if (!ports_of[name].empty()) service_names.insert(service_name(name));
  }
  std::vector<Node> workloads;
  for (const auto& name : selected) {
    const Service& s = p.services.at(name);
    const bool job = jobs.count(name) > 0;
    b.reset_pod();
    const std::string app = dns_label(name);
    Node labels = Node::mapping();
    labels.set("app.kubernetes.io/name", str(app));
    labels.set("app.kubernetes.io/part-of", str(dns_label(p.name)));

    Node containers = Node::sequence();
    containers.push_back(b.container(s));
    // service_healthy: an init container per dependency that waits for its Service.
    Node init = Node::sequence();
    std::set<std::string> container_names{app};
    for (const auto& [dep, d] : s.depends_on) {
      if (!selected.count(dep)) continue;
      const std::string what = "depends_on " + dep + " (" + d.condition + ")";
      if (d.condition == "service_completed_successfully") {
        b.warn(name, what + (jobs.count(dep)
                                 ? ": " + dep +
                                       " is a Job; its completion is not waited for (that needs "
                                       "the Kubernetes API from inside the Pod)"
                                 : ": " + dep + " restarts (restart " + p.services.at(dep).restart +
                                       "), so it is a Deployment, not waited for"));
        continue;
      }
      if (d.condition != "service_healthy") {
        b.warn(name, what + ": Deployments start together (only service_healthy is gated)");
        continue;
      }
      const auto& dep_ports = ports_of[dep];
      const std::string host = service_name(dep);
      if (dep_ports.empty() || host.empty()) {
        b.warn(name, what + ": " + dep +
                         " has no Service (no ports or expose, or not a DNS-1035 name) to wait "
                         "for: not gated");
        continue;
      }
      if (jobs.count(dep)) {
        b.warn(name, what + ": " + dep +
                         " is a Job, whose Pods are not behind its Service once done: not gated");
        continue;
      }
      std::uint32_t tcp = 0;
      for (const auto& [key, app_protocol] : dep_ports)
        if (key.second == "TCP") {
          tcp = key.first;
          break;
        }
      if (!tcp) {
        b.warn(name, what + ": " + dep + " has no TCP port to wait for: not gated");
        continue;
      }
      std::string cname = dns_label("wait-" + dep);
      for (int n = 2; container_names.count(cname); ++n)
        cname = dns_label("wait-" + dep).substr(0, 58) + "-" + std::to_string(n);
      container_names.insert(cname);
      init.push_back(wait_container(cname, image, host, tcp));
    }
    Node pod_spec = Node::mapping();
    if (job) {
      const std::string policy = pod_restart_policy(s.restart);
      pod_spec.set("restartPolicy", str(policy == "OnFailure" ? "OnFailure" : "Never"));
    } else {
      pod_spec.set("restartPolicy", str("Always"));  // the only one a Deployment takes
      if (!s.restart.empty() && pod_restart_policy(s.restart) != "Always")
        b.warn(name, "restart " + s.restart + ": a Deployment's Pods always restart");
    }
    if (s.stop_grace_period)
      pod_spec.set("terminationGracePeriodSeconds",
                   Node::number(ceil_seconds(*s.stop_grace_period)));
    host_keys(s, pod_spec, [&](const std::string& t) { b.warn(name, t); });
    if (!init.items.empty()) pod_spec.set("initContainers", std::move(init));
    pod_spec.set("containers", std::move(containers));
    if (!b.volumes().items.empty()) pod_spec.set("volumes", std::move(b.volumes()));
    b.annotations().clear();
    b.annotate(s, s.labels, "labels");
    b.annotate(s, s.annotations, "annotations");
    Node tmeta = Node::mapping();
    tmeta.set("labels", labels);
    if (!b.annotations().empty()) tmeta.set("annotations", annotations_node(b.annotations()));
    Node tmpl = Node::mapping();
    tmpl.set("metadata", std::move(tmeta));
    tmpl.set("spec", std::move(pod_spec));
    Node spec = Node::mapping();
    if (job) {
      // A one-shot service runs as a Job: `scale` copies each run once; on-failure:N retries N
      // times, no restart policy none.
      const auto n = s.scale.value_or(1);
      spec.set("completions", Node::number(n));
      spec.set("parallelism", Node::number(n));
      const auto colon = s.restart.find(':');
      if (s.restart.rfind("on-failure", 0) == 0 && colon != std::string::npos &&
          all_digits(s.restart.substr(colon + 1)))
        spec.set("backoffLimit", Node::number(std::stoll(s.restart.substr(colon + 1))));
      else if (pod_restart_policy(s.restart) == "Never")
        spec.set("backoffLimit", Node::number(0));
      spec.set("template", std::move(tmpl));
      Node doc = object("batch/v1", "Job", app, &labels);
      doc.set("spec", std::move(spec));
      workloads.push_back(std::move(doc));
    } else {
      Node selector = Node::mapping();
      selector.set("matchLabels", labels);
      // Service::scale is `scale`, else deploy.replicas (bind), as `up` counts containers.
      spec.set("replicas", Node::number(s.scale.value_or(1)));
      spec.set("selector", std::move(selector));
      spec.set("template", std::move(tmpl));
      Node doc = object("apps/v1", "Deployment", app, &labels);
      doc.set("spec", std::move(spec));
      workloads.push_back(std::move(doc));
    }

    // The Service: each container port (ports' targets and expose), reached as in Compose, and
    // one more per network alias, with the same selector and ports.
    const auto& ports = ports_of[name];
    if (!ports.empty()) {
      const std::string own = service_name(name);
      if (own.empty())
        b.warn(name, "its name (" + app +
                         ") is not a DNS-1035 label ([a-z][a-z0-9-]*): no Service, so it does not "
                         "resolve by name");
      else
        workloads.push_back(service_document(own, labels, ports));
    }
    std::set<std::string> aliases;
    for (const auto& [net, sn] : s.networks)
      for (const auto& a : sn.aliases) aliases.insert(a);
    for (const auto& a : aliases) {
      const std::string what = "networks aliases " + a;
      if (a == service_name(name)) {
        continue;  // the service's own Service has that name
      } else if (ports.empty()) {
        b.warn(name, what + ": no ports or expose, so no Service to name after it");
      } else if (!dns1035_label(a)) {
        b.warn(name, what + ": not a DNS-1035 label ([a-z][a-z0-9-]*, 63 at most): no Service");
      } else if (!service_names.insert(a).second) {
        b.warn(name,
               what + ": a Service of that name is already written (a service or another alias)");
      } else {
        workloads.push_back(service_document(a, labels, ports));
      }
    }
    warn_unmapped(s, true, [&](const std::string& t) { b.warn(name, t); });
  }
  std::string text;
  for (const auto& doc : b.documents()) text += compose::to_yaml(doc) + "---\n";
  for (std::size_t i = 0; i < workloads.size(); ++i)
    text += (i ? "---\n" : "") + compose::to_yaml(workloads[i]);
  b.out().yaml = std::move(text);
  return std::move(b.out());
}

}  // namespace qpod::kube
