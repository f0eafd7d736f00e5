#include "graph/service_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace qpod::graph {
namespace {

// Edges point from a service to what it needs. Vertex i is the i-th service by name, so the
// smallest vertex is the alphabetically first service.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

enum class RefKind { DependsOn, Link, VolumesFrom, NetworkMode };

// One service naming another: cheap to make; where it is written is looked up only for errors.
struct Reference {
  std::string_view target;  // into the service's strings
  RefKind kind = RefKind::DependsOn;
  const std::string* entry = nullptr;  // as written: a depends_on key, "db:alias", "service:vpn"
  std::size_t index = 0;               // in its sequence (links, volumes_from)
  bool required = true;
};

std::string_view verb(RefKind kind) {
  switch (kind) {
    case RefKind::DependsOn:
      return "depends on";
    case RefKind::Link:
      return "links to";
    case RefKind::VolumesFrom:
      return "mounts volumes from";
    case RefKind::NetworkMode:
      return "uses the network of";
  }
  return "refers to";
}

std::string_view key(RefKind kind) {
  switch (kind) {
    case RefKind::DependsOn:
      return "depends_on";
    case RefKind::Link:
      return "links";
    case RefKind::VolumesFrom:
      return "volumes_from";
    case RefKind::NetworkMode:
      return "network_mode";
  }
  return "";
}

// Every service `s` refers to, in key order: depends_on, links, volumes_from, network_mode.
std::vector<Reference> references(const compose::Service& s) {
  const auto before_colon = [](const std::string& v) {
    return std::string_view(v).substr(0, v.find(':'));
  };
  std::vector<Reference> out;
  for (const auto& [name, dep] : s.depends_on)
    out.push_back({name, RefKind::DependsOn, &name, 0, dep.required});
  for (std::size_t i = 0; i < s.links.size(); ++i)  // "svc" or "svc:alias"
    out.push_back({before_colon(s.links[i]), RefKind::Link, &s.links[i], i});
  for (std::size_t i = 0; i < s.volumes_from.size(); ++i) {  // "svc[:ro|rw]", "container:NAME"
    const std::string& v = s.volumes_from[i];
    if (!v.starts_with("container:")) out.push_back({before_colon(v), RefKind::VolumesFrom, &v, i});
  }
  constexpr std::string_view kService = "service:";
  if (s.network_mode.starts_with(kService)) {
    out.push_back({std::string_view(s.network_mode).substr(kService.size()), RefKind::NetworkMode,
                   &s.network_mode});
  }
  return out;
}

// An error at `r` in the service's normalized node: a depends_on key, the sequence item with the
// same text, or the network_mode scalar; without such a node, the file only.
Diagnostic error_at(const compose::Service& s, const Reference& r, const compose::Project& project,
                    std::string message) {
  std::string path = compose::child_path(compose::child_path("services", s.name), key(r.kind));
  compose::Mark mark{s.node.mark.file};
  if (!mark.file && !project.config_files.empty())
    mark.file = std::make_shared<const std::string>(project.config_files.front());
  const compose::Node* n = s.node.find(key(r.kind));
  // The sequence item with the entry's text: the model's index if it matches, else the first.
  const auto item = [&](std::size_t hint) -> std::optional<std::size_t> {
    if (!n || !n->is_sequence()) return std::nullopt;
    if (hint < n->size() && n->items[hint].scalar == *r.entry) return hint;
    for (std::size_t i = 0; i < n->size(); ++i)
      if (n->items[i].scalar == *r.entry) return i;
    return std::nullopt;
  };
  if (r.kind == RefKind::DependsOn) {  // a mapping once normalized; a list before
    path = compose::child_path(path, *r.entry);
    if (const compose::Key* k = n && n->is_mapping() ? n->find_key(*r.entry) : nullptr) {
      mark = k->mark;
    } else if (auto i = item(0)) {
      mark = n->items[*i].mark;
    }
  } else if (r.kind == RefKind::NetworkMode) {
    if (n && n->is_scalar()) mark = n->mark;
  } else {
    const auto i = item(r.index);
    if (i) mark = n->items[*i].mark;
    path = compose::index_path(path, i.value_or(r.index));
  }
  return compose::error_at(mark, std::move(path), std::move(message));
}

// Records the DFS tree and the first back edge: the first cycle found, deterministically, since
// roots and out-edges are visited in name order.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::optional<Edge>* back;
  void tree_edge(Edge e, const Graph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Edge e, const Graph&) const {
    if (!*back) *back = e;
  }
};

// The cycle closed by back edge u -> v, rotated to start at its smallest vertex (not repeated).
std::vector<Vertex> find_cycle(const Graph& g) {
  std::vector<Vertex> parent(boost::num_vertices(g));
  std::optional<Edge> back;
  CycleFinder finder;
  finder.parent = &parent;
  finder.back = &back;
  boost::depth_first_search(g, boost::visitor(finder));
  if (!back) return {};
  const Vertex u = boost::source(*back, g), v = boost::target(*back, g);
  std::vector<Vertex> cycle{u};  // u, parent(u), ..., v: the tree path backwards
  while (cycle.back() != v) cycle.push_back(parent[cycle.back()]);
  std::reverse(cycle.begin(), cycle.end());  // v -> ... -> u, and u -> v closes it
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

// Kahn's algorithm, smallest vertex first among the ready ones. dependencies_first = false
// gives dependants first.
std::vector<Vertex> kahn(const Graph& g, bool dependencies_first) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<std::size_t> waiting(n);
  std::priority_queue<Vertex, std::vector<Vertex>, std::greater<>> ready;
  for (Vertex v = 0; v < n; ++v) {
    waiting[v] = dependencies_first ? boost::out_degree(v, g) : boost::in_degree(v, g);
    if (waiting[v] == 0) ready.push(v);
  }
  std::vector<Vertex> out;
  out.reserve(n);
  while (!ready.empty()) {
    const Vertex v = ready.top();
    ready.pop();
    out.push_back(v);
    if (dependencies_first) {
      for (auto [it, end] = boost::in_edges(v, g); it != end; ++it)
        if (--waiting[boost::source(*it, g)] == 0) ready.push(boost::source(*it, g));
    } else {
      for (auto [it, end] = boost::out_edges(v, g); it != end; ++it)
        if (--waiting[boost::target(*it, g)] == 0) ready.push(boost::target(*it, g));
    }
  }
  return out;
}

const std::set<std::string>& empty_set() {
  static const std::set<std::string> kEmpty;
  return kEmpty;
}

}  // namespace

Result<ServiceGraph> ServiceGraph::build(const compose::Project& project) {
  ServiceGraph g;
  std::vector<const compose::Service*> services;  // by vertex
  std::unordered_map<std::string_view, Vertex> index;
  index.reserve(project.services.size());
  for (const auto& [name, s] : project.services) {
    index.emplace(name, g.names_.size());
    g.names_.push_back(name);
    services.push_back(&s);
  }
  for (const auto& [name, s] : project.disabled_services) g.disabled_.insert(name);

  const std::size_t n = g.names_.size();
  Graph bg(n);
  Diagnostics errors;
  // Per service, the first reference to each dependency, by vertex: edges are added in name
  // order, which makes the DFS (and so the reported cycle) deterministic.
  std::vector<std::map<Vertex, Reference>> edges(n);
  for (Vertex from = 0; from < n; ++from) {
    const compose::Service& s = *services[from];
    for (const Reference& r : references(s)) {
      if (auto it = index.find(r.target); it != index.end()) {
        edges[from].try_emplace(it->second, r);
        continue;
      }
      if (!r.required) continue;  // an optional depends_on entry
      const std::string target(r.target);
      std::string message = "service \"" + s.name + "\" " + std::string(verb(r.kind));
      message += g.disabled_.contains(target)
                     ? " service \"" + target + "\", which is disabled by its profiles"
                     : " undefined service \"" + target + "\"";
      errors.push_back(error_at(s, r, project, std::move(message)));
    }
    for (const auto& [to, r] : edges[from]) boost::add_edge(from, to, bg);
  }

  if (auto cycle = find_cycle(bg); !cycle.empty()) {
    std::string message = "dependency cycle: ";
    for (Vertex v : cycle) message += g.names_[v] + " -> ";
    message += g.names_[cycle.front()];
    const Vertex first = cycle.front(), next = cycle.size() > 1 ? cycle[1] : first;
    errors.push_back(error_at(*services[first], edges[first].at(next), project, message));
  }
  if (!errors.empty()) return errors;

  for (Vertex v = 0; v < n; ++v) {  // names in order: hints go at the end
    auto& deps = g.deps_.emplace_hint(g.deps_.end(), g.names_[v], std::set<std::string>{})->second;
    for (auto [it, end] = boost::out_edges(v, bg); it != end; ++it)
      deps.emplace_hint(deps.end(), g.names_[boost::target(*it, bg)]);
    auto& rdeps =
        g.rdeps_.emplace_hint(g.rdeps_.end(), g.names_[v], std::set<std::string>{})->second;
    for (auto [it, end] = boost::in_edges(v, bg); it != end; ++it)
      rdeps.emplace_hint(rdeps.end(), g.names_[boost::source(*it, bg)]);
  }

  const auto names = [&g](const std::vector<Vertex>& vs) {
    std::vector<std::string> out;
    out.reserve(vs.size());
    for (Vertex v : vs) out.push_back(g.names_[v]);
    return out;
  };
  const std::vector<Vertex> order = kahn(bg, true);
  g.order_ = names(order);
  g.stop_order_ = names(kahn(bg, false));
  std::vector<std::size_t> level(n, 0);
  for (Vertex v : order) {  // dependencies first, so their levels are known
    for (auto [it, end] = boost::out_edges(v, bg); it != end; ++it)
      level[v] = std::max(level[v], level[boost::target(*it, bg)] + 1);
  }
  for (Vertex v = 0; v < n; ++v) {  // by name within each level
    if (level[v] >= g.levels_.size()) g.levels_.resize(level[v] + 1);
    g.levels_[level[v]].push_back(g.names_[v]);
  }
  return g;
}

const std::set<std::string>& ServiceGraph::dependencies(const std::string& name) const {
  auto it = deps_.find(name);
  return it == deps_.end() ? empty_set() : it->second;
}

const std::set<std::string>& ServiceGraph::dependants(const std::string& name) const {
  auto it = rdeps_.find(name);
  return it == rdeps_.end() ? empty_set() : it->second;
}

namespace {

// `start` and everything reachable from it through `edges`.
std::set<std::string> closure(const std::map<std::string, std::set<std::string>>& edges,
                              std::vector<std::string> todo) {
  std::set<std::string> out;
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    auto it = edges.find(name);
    if (it == edges.end() || !out.insert(name).second) continue;
    for (const auto& next : it->second)
      if (!out.contains(next)) todo.push_back(next);
  }
  return out;
}

}  // namespace

std::set<std::string> ServiceGraph::select(const std::vector<std::string>& selected,
                                           bool with_deps) const {
  if (with_deps) return closure(deps_, selected);
  std::set<std::string> out;
  for (const auto& name : selected)
    if (deps_.contains(name)) out.insert(name);
  return out;
}

Result<std::set<std::string>> ServiceGraph::select_checked(const std::vector<std::string>& selected,
                                                           bool with_deps) const {
  Diagnostics errors;
  for (const auto& name : selected) {
    if (deps_.contains(name)) continue;
    Diagnostic d;
    d.message = disabled_.contains(name) ? "service \"" + name + "\" is disabled by its profiles"
                                         : "no such service: \"" + name + "\"";
    errors.push_back(std::move(d));
  }
  if (!errors.empty()) return errors;
  return select(selected, with_deps);
}

std::set<std::string> ServiceGraph::with_dependants(const std::set<std::string>& selected) const {
  return closure(rdeps_, {selected.begin(), selected.end()});
}

}  // namespace qpod::graph
