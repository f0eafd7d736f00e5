// Cluster mode of `qpod kube generate` (see generate.h and docs/KUBE-KEYS.md).
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compose/emit.h"
#include "engine/text.h"
#include "kube/generate.h"
#include "kube/nodes.h"
#include "kube/pod_detail.h"
#include "kube/pod_parts.h"

namespace qpod::kube {

using compose::Node;
using compose::Project;
using compose::Service;

// Cluster mode: a Deployment per service (replicas from deploy.replicas or scale), a Service per
// service with ports or expose (named as the service, so names resolve as in Compose), and the
// same PVCs, Secrets and ConfigMaps as pod mode.
Result<Manifest> generate_cluster(const Project& p, const graph::ServiceGraph& g,
                                  const FileData& files, const KubeOptions& opts,
                                  const std::set<std::string>& selected) {
  PodParts b(p, g, files, opts);
  std::vector<Node> workloads;
  for (const auto& name : selected) {
    const Service& s = p.services.at(name);
    b.reset_pod();
    const std::string app = dns_label(name);
    Node labels = Node::mapping();
    labels.set("app.kubernetes.io/name", str(app));
    labels.set("app.kubernetes.io/part-of", str(dns_label(p.name)));

    Node containers = Node::sequence();
    containers.push_back(b.container(s));
    Node pod_spec = Node::mapping();
    pod_spec.set("restartPolicy", str("Always"));  // the only one a Deployment takes
    if (!s.restart.empty() && pod_restart_policy(s.restart) != "Always")
      b.warn(name, "restart " + s.restart + ": a Deployment's Pods always restart");
    if (s.stop_grace_period)
      pod_spec.set("terminationGracePeriodSeconds", Node::number(ceil_seconds(*s.stop_grace_period)));
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
    Node selector = Node::mapping();
    selector.set("matchLabels", labels);
    Node spec = Node::mapping();
    // Service::scale is `scale`, else deploy.replicas (bind), as `up` counts containers.
    spec.set("replicas", Node::number(s.scale.value_or(1)));
    spec.set("selector", std::move(selector));
    spec.set("template", std::move(tmpl));
    Node dep = object("apps/v1", "Deployment", app, &labels);
    dep.set("spec", std::move(spec));
    workloads.push_back(std::move(dep));

    // The Service: each container port (ports' targets and expose), reached as in Compose.
    std::set<std::pair<std::uint32_t, std::string>> ports;
    for (const auto& port : s.ports) ports.insert({port.target, engine::upper(port.protocol)});
    for (const auto& e : s.expose) {
      const auto slash = e.find('/');
      const std::string num = e.substr(0, slash);
      const std::string proto = slash == std::string::npos ? "TCP" : engine::upper(e.substr(slash + 1));
      if (all_digits(num))
        ports.insert({static_cast<std::uint32_t>(std::stoul(num)), proto});
      else
        b.warn(name, "expose " + e + ": a port range has no Kubernetes Service form");
    }
    for (const auto& [net, sn] : s.networks)
      if (!sn.aliases.empty()) b.warn(name, "networks." + net + ".aliases: only the service name is a Service");
    if (!ports.empty()) {
      Node list = Node::sequence();
      for (const auto& [num, proto] : ports) {
        Node e = Node::mapping();
        std::string pname = proto == "TCP" ? "p" : (proto == "UDP" ? "u" : "s");
        e.set("name", str(pname + std::to_string(num)));
        e.set("port", Node::number(num));
        e.set("targetPort", Node::number(num));
        e.set("protocol", str(proto));
        list.push_back(std::move(e));
      }
      Node sspec = Node::mapping();
      sspec.set("selector", labels);
      sspec.set("ports", std::move(list));
      Node svc = object("v1", "Service", app, &labels);
      svc.set("spec", std::move(sspec));
      workloads.push_back(std::move(svc));
    }
    for (const auto& [dep_name, d] : s.depends_on)
      if (selected.count(dep_name))
        b.warn(name, "depends_on " + dep_name + " (" + d.condition +
                         "): Deployments start together, without this order");
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
