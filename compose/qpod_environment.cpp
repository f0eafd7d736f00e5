#include "compose/qpod_environment.h"

#include <algorithm>

namespace qpod::compose {
namespace {

Mount bind_mount(const std::string& source, const std::string& target, bool read_only) {
  Mount m;
  m.type = "bind";
  m.source = source;
  m.target = target;
  m.read_only = read_only;
  return m;
}

// The long syntax of a bind mount, as normalize writes it.
Node mount_node(const Mount& m) {
  Node n = Node::mapping();
  n.set("type", Node::string(m.type));
  n.set("source", Node::string(m.source));
  n.set("target", Node::string(m.target));
  if (m.read_only) n.set("read_only", Node::boolean(true));
  return n;
}

void add_to_service(const QpodEnvironment& env, const std::vector<Mount>& mounts, Service& s) {
  const bool has_node = s.node.is_mapping();
  for (const auto& m : mounts) {
    const bool taken = std::any_of(s.volumes.begin(), s.volumes.end(),
                                   [&](const Mount& v) { return v.target == m.target; });
    if (taken) continue;
    s.volumes.push_back(m);
    if (!has_node) continue;
    Node* volumes = s.node.find("volumes");
    if (!volumes || !volumes->is_sequence()) volumes = &s.node.set("volumes", Node::sequence());
    volumes->push_back(mount_node(m));
  }
  for (const auto& [k, v] : env.env) {
    if (s.environment.count(k)) continue;
    s.environment[k] = v;
    if (!has_node) continue;
    Node* vars = s.node.find("environment");
    if (!vars || !vars->is_mapping()) vars = &s.node.set("environment", Node::mapping());
    vars->set(k, Node::string(v));
  }
}

}  // namespace

std::vector<Mount> environment_mounts(const QpodEnvironment& env) {
  std::vector<Mount> out;
  if (env.git_root.empty()) return out;
  out.push_back(bind_mount(env.git_root, env.git_root, false));
  out.push_back(bind_mount(env.git_root, "/qpod", false));
  for (const auto& m : env.mounts)
    out.push_back(bind_mount(m.source, m.target.empty() ? m.source : m.target, m.readonly));
  return out;
}

void run_services_in_environment(Project& project) {
  if (!project.qpod || project.qpod->git_root.empty()) return;
  const std::vector<Mount> mounts = environment_mounts(*project.qpod);
  for (auto* group : {&project.services, &project.disabled_services})
    for (auto& [name, s] : *group) add_to_service(*project.qpod, mounts, s);
}

}  // namespace qpod::compose
