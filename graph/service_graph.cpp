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
#include <utility>

namespace qpod::graph {
namespace {

// Edges point from a service to what it needs. Vertex i is the i-th service by name, so the
// smallest vertex is the alphabetically first service.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

enum class RefKind { DependsOn, Link, VolumesFrom, NetworkMode };

// One service naming another, and where it does so.
struct Reference {
  std::string target;
  RefKind kind = RefKind::DependsOn;
  bool required = true;
  std::string path;  // "services.web.depends_on.db"
  compose::Mark mark;
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

// Finds the entries of one service key in the service's normalized node, for positions.
class Locator {
 public:
  Locator(const compose::Service& s, const compose::Project& project) : s_(s) {
    base_ = compose::child_path("services", s.name);
    fallback_.file = s.node.mark.file;
    if (!fallback_.file && !project.config_files.empty())
      fallback_.file = std::make_shared<const std::string>(project.config_files.front());
  }

  // A mapping entry (by key), a sequence item (by value, else by `index`) or a scalar.
  Reference at(std::string_view key, const std::string& entry, std::size_t index,
               std::string target, RefKind kind) const {
    Reference r{std::move(target), kind, true, compose::child_path(base_, key), fallback_};
    const compose::Node* n = s_.node.find(key);
    if (kind == RefKind::DependsOn) {  // a mapping once normalized
      r.path = compose::child_path(r.path, entry);
      if (n && n->is_mapping()) {
        if (const compose::Key* k = n->find_key(entry)) r.mark = k->mark;
      } else if (n && n->is_sequence()) {
        use_item(*n, entry, r);
      }
    } else if (kind == RefKind::NetworkMode) {
      if (n && n->is_scalar()) r.mark = n->mark;
    } else {
      std::string path = compose::index_path(r.path, index);
      if (n && n->is_sequence()) {
        if (index < n->size() && n->items[index].scalar == entry) {
          r.mark = n->items[index].mark;
        } else {
          for (std::size_t i = 0; i < n->size(); ++i) {
            if (n->items[i].scalar != entry) continue;
            path = compose::index_path(r.path, i);
            r.mark = n->items[i].mark;
            break;
          }
        }
      }
      r.path = std::move(path);
    }
    return r;
  }

 private:
  static void use_item(const compose::Node& seq, const std::string& entry, Reference& r) {
    for (const auto& item : seq.items)
      if (item.scalar == entry) r.mark = item.mark;
  }

  const compose::Service& s_;
  std::string base_;
  compose::Mark fallback_;  // the file only
};

// Every service `s` refers to, in key order: depends_on, links, volumes_from, network_mode.
std::vector<Reference> references(const compose::Service& s, const compose::Project& project) {
  Locator loc(s, project);
  std::vector<Reference> out;
  for (const auto& [name, dep] : s.depends_on) {
    out.push_back(loc.at("depends_on", name, 0, name, RefKind::DependsOn));
    out.back().required = dep.required;
  }
  for (std::size_t i = 0; i < s.links.size(); ++i) {  // "svc" or "svc:alias"
    const std::string& l = s.links[i];
    out.push_back(loc.at("links", l, i, l.substr(0, l.find(':')), RefKind::Link));
  }
  for (std::size_t i = 0; i < s.volumes_from.size(); ++i) {  // "svc[:ro|rw]", "container:NAME"
    const std::string& v = s.volumes_from[i];
    if (v.starts_with("container:")) continue;
    out.push_back(loc.at("volumes_from", v, i, v.substr(0, v.find(':')), RefKind::VolumesFrom));
  }
  constexpr std::string_view kService = "service:";
  if (s.network_mode.starts_with(kService)) {
    out.push_back(loc.at("network_mode", s.network_mode, 0, s.network_mode.substr(kService.size()),
                         RefKind::NetworkMode));
  }
  return out;
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
  std::map<std::string, Vertex> index;
  for (const auto& [name, s] : project.services) {
    index.emplace(name, g.names_.size());
    g.names_.push_back(name);
    g.deps_[name];
    g.rdeps_[name];
  }
  for (const auto& [name, s] : project.disabled_services) g.disabled_.insert(name);

  Graph bg(g.names_.size());
  Diagnostics errors;
  // Per service, the first reference to each of its dependencies, by vertex: edges are added in
  // name order, which makes the DFS (and so the reported cycle) deterministic.
  std::vector<std::map<Vertex, Reference>> edges(g.names_.size());
  for (const auto& [name, s] : project.services) {
    const Vertex from = index.at(name);
    for (Reference& r : references(s, project)) {
      auto it = index.find(r.target);
      if (it != index.end()) {
        edges[from].try_emplace(it->second, std::move(r));
        continue;
      }
      if (!r.required) continue;  // an optional depends_on entry
      std::string message = "service \"" + name + "\" " + std::string(verb(r.kind));
      message += g.disabled_.contains(r.target)
                     ? " service \"" + r.target + "\", which is disabled by its profiles"
                     : " undefined service \"" + r.target + "\"";
      errors.push_back(compose::error_at(r.mark, r.path, std::move(message)));
    }
    for (const auto& [to, r] : edges[from]) {
      boost::add_edge(from, to, bg);
      g.deps_[name].insert(g.names_[to]);
      g.rdeps_[g.names_[to]].insert(name);
    }
  }

  if (auto cycle = find_cycle(bg); !cycle.empty()) {
    std::string message = "dependency cycle: ";
    for (Vertex v : cycle) message += g.names_[v] + " -> ";
    message += g.names_[cycle.front()];
    const Vertex next = cycle.size() > 1 ? cycle[1] : cycle[0];
    const Reference& r = edges[cycle.front()].at(next);
    errors.push_back(compose::error_at(r.mark, r.path, std::move(message)));
  }
  if (!errors.empty()) return errors;

  const auto names = [&g](const std::vector<Vertex>& vs) {
    std::vector<std::string> out;
    out.reserve(vs.size());
    for (Vertex v : vs) out.push_back(g.names_[v]);
    return out;
  };
  const std::vector<Vertex> order = kahn(bg, true);
  g.order_ = names(order);
  g.stop_order_ = names(kahn(bg, false));
  std::vector<std::size_t> level(order.size(), 0);
  for (Vertex v : order) {  // dependencies first, so their levels are known
    for (auto [it, end] = boost::out_edges(v, bg); it != end; ++it)
      level[v] = std::max(level[v], level[boost::target(*it, bg)] + 1);
    if (level[v] >= g.levels_.size()) g.levels_.resize(level[v] + 1);
    g.levels_[level[v]].push_back(g.names_[v]);
  }
  for (auto& l : g.levels_) std::sort(l.begin(), l.end());
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
