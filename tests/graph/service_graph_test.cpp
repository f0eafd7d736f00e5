#include "graph/service_graph.h"

#include <catch2/catch.hpp>

#include "compose/parse.h"

using namespace qpod;
using namespace qpod::compose;
using qpod::graph::ServiceGraph;

namespace {

using Names = std::vector<std::string>;
using NameSet = std::set<std::string>;
using Levels = std::vector<Names>;

// Services and their depends_on entries (all required, service_started).
Project project(const std::map<std::string, Names>& deps) {
  Project p;
  p.name = "t";
  p.config_files = {"/p/compose.yaml"};
  for (const auto& [name, ds] : deps) {
    Service& s = p.services[name];
    s.name = name;
    for (const auto& d : ds) s.depends_on[d] = Dependency{};
  }
  return p;
}

ServiceGraph build_ok(const Project& p) {
  auto g = ServiceGraph::build(p);
  INFO(format(g.ok() ? Diagnostics{} : g.errors()));
  REQUIRE(g.ok());
  return std::move(g).value();
}

std::string build_error(const Project& p) {
  auto g = ServiceGraph::build(p);
  REQUIRE_FALSE(g.ok());
  return format(g.errors());
}

}  // namespace

TEST_CASE("a chain starts from its root and stops from its leaf") {
  auto g = build_ok(project({{"web", {"api"}}, {"api", {"db"}}, {"db", {}}}));
  CHECK(g.services() == Names{"api", "db", "web"});
  CHECK(g.topological_order() == Names{"db", "api", "web"});
  CHECK(g.start_levels() == Levels{{"db"}, {"api"}, {"web"}});
  CHECK(g.stop_order() == Names{"web", "api", "db"});
  CHECK(g.dependencies("api") == NameSet{"db"});
  CHECK(g.dependants("api") == NameSet{"web"});
  CHECK(g.dependencies("db").empty());
  CHECK(g.dependencies("nope").empty());
}

TEST_CASE("a diamond puts both sides in one level") {
  auto g = build_ok(project({{"d", {"b", "c"}}, {"b", {"a"}}, {"c", {"a"}}, {"a", {}}}));
  CHECK(g.topological_order() == Names{"a", "b", "c", "d"});
  CHECK(g.start_levels() == Levels{{"a"}, {"b", "c"}, {"d"}});
  CHECK(g.stop_order() == Names{"d", "b", "c", "a"});
  CHECK(g.dependants("a") == NameSet{"b", "c"});
}

TEST_CASE("fan-out: many services on one database") {
  auto g = build_ok(project({{"web", {"db"}}, {"api", {"db"}}, {"worker", {"db"}}, {"db", {}}}));
  CHECK(g.topological_order() == Names{"db", "api", "web", "worker"});
  CHECK(g.start_levels() == Levels{{"db"}, {"api", "web", "worker"}});
  CHECK(g.stop_order() == Names{"api", "web", "worker", "db"});
}

TEST_CASE("independent services form one level, by name") {
  auto g = build_ok(project({{"z", {}}, {"a", {}}, {"m", {}}}));
  CHECK(g.topological_order() == Names{"a", "m", "z"});
  CHECK(g.start_levels() == Levels{{"a", "m", "z"}});
  CHECK(g.stop_order() == Names{"a", "m", "z"});
}

TEST_CASE("ties are broken by name among services ready at the same time") {
  // a needs c; b is free. b and c are ready first, so a comes last although it sorts first.
  auto g = build_ok(project({{"a", {"c"}}, {"b", {}}, {"c", {}}}));
  CHECK(g.topological_order() == Names{"b", "c", "a"});
  CHECK(g.start_levels() == Levels{{"b", "c"}, {"a"}});
  CHECK(g.stop_order() == Names{"a", "b", "c"});
}

TEST_CASE("an empty project has empty orders") {
  auto g = build_ok(project({}));
  CHECK(g.topological_order().empty());
  CHECK(g.start_levels().empty());
  CHECK(g.stop_order().empty());
}

TEST_CASE("links, volumes_from and network_mode: service:X are edges") {
  Project p =
      project({{"web", {}}, {"db", {}}, {"cache", {}}, {"data", {}}, {"vpn", {}}, {"host", {}}});
  Service& web = p.services["web"];
  web.links = {"db:database", "cache"};
  web.volumes_from = {"data:ro", "container:legacy", "container:other:rw"};
  web.network_mode = "service:vpn";
  p.services["db"].network_mode = "host";
  auto g = build_ok(p);
  CHECK(g.dependencies("web") == NameSet{"cache", "data", "db", "vpn"});
  CHECK(g.dependencies("db").empty());
  CHECK(g.dependants("vpn") == NameSet{"web"});
  CHECK(g.topological_order() == Names{"cache", "data", "db", "host", "vpn", "web"});
}

TEST_CASE("the same dependency through two keys is one edge") {
  Project p = project({{"web", {"db"}}, {"db", {}}});
  p.services["web"].links = {"db"};
  auto g = build_ok(p);
  CHECK(g.dependencies("web") == NameSet{"db"});
  CHECK(g.start_levels() == Levels{{"db"}, {"web"}});
}

TEST_CASE("references to undefined services are all reported, naming both") {
  Project p = project({{"web", {"db"}}});
  p.services["web"].links = {"cache:c"};
  p.services["web"].volumes_from = {"data:ro", "container:fine"};
  p.services["web"].network_mode = "service:vpn";
  CHECK(build_error(p) ==
        "/p/compose.yaml: services.web.depends_on.db: service \"web\" depends on undefined service "
        "\"db\"\n"
        "/p/compose.yaml: services.web.links[0]: service \"web\" links to undefined service "
        "\"cache\"\n"
        "/p/compose.yaml: services.web.volumes_from[0]: service \"web\" mounts volumes from "
        "undefined service \"data\"\n"
        "/p/compose.yaml: services.web.network_mode: service \"web\" uses the network of "
        "undefined service \"vpn\"\n");
}

TEST_CASE("optional dependencies are ignored when absent and kept when present") {
  Project p = project({{"web", {}}, {"db", {}}});
  p.services["web"].depends_on["db"].required = false;
  p.services["web"].depends_on["debugger"].required = false;
  auto g = build_ok(p);
  CHECK(g.dependencies("web") == NameSet{"db"});
  CHECK(g.topological_order() == Names{"db", "web"});
}

TEST_CASE("a required dependency on a disabled service is an error") {
  Project p = project({{"web", {"debugger"}}});
  p.disabled_services["debugger"].name = "debugger";
  CHECK(build_error(p) ==
        "/p/compose.yaml: services.web.depends_on.debugger: service \"web\" depends on service "
        "\"debugger\", which is disabled by its profiles\n");
}

TEST_CASE("a three-cycle prints its path from its first service") {
  CHECK(build_error(project({{"c", {"a"}}, {"a", {"b"}}, {"b", {"c"}}})) ==
        "/p/compose.yaml: services.a.depends_on.b: dependency cycle: a -> b -> c -> a\n");
  // Entered from outside at c; still printed from b.
  CHECK(build_error(project({{"a", {"c"}}, {"c", {"d"}}, {"d", {"b"}}, {"b", {"c"}}})) ==
        "/p/compose.yaml: services.b.depends_on.c: dependency cycle: b -> c -> d -> b\n");
}

TEST_CASE("a self-dependency is a cycle") {
  CHECK(build_error(project({{"a", {"a"}}, {"b", {}}})) ==
        "/p/compose.yaml: services.a.depends_on.a: dependency cycle: a -> a\n");
  Project p = project({{"vpn", {}}});
  p.services["vpn"].network_mode = "service:vpn";
  CHECK(build_error(p) ==
        "/p/compose.yaml: services.vpn.network_mode: dependency cycle: vpn -> vpn\n");
}

TEST_CASE("of two cycles, the one through the first service is reported") {
  auto g = ServiceGraph::build(project({{"d", {"c"}}, {"c", {"d"}}, {"b", {"a"}}, {"a", {"b"}}}));
  REQUIRE_FALSE(g.ok());
  REQUIRE(g.errors().size() == 1);
  CHECK(g.errors()[0].message == "dependency cycle: a -> b -> a");
}

TEST_CASE("a cycle through a link reports the link entry") {
  Project p = project({{"a", {"b"}}, {"b", {}}});
  p.services["b"].links = {"x", "a:alias"};
  p.services["x"].name = "x";
  CHECK(build_error(p) ==
        "/p/compose.yaml: services.a.depends_on.b: dependency cycle: a -> b -> a\n");
  Project q = project({{"b", {"a"}}, {"a", {}}});
  q.services["a"].links = {"b:alias"};
  CHECK(build_error(q) == "/p/compose.yaml: services.a.links[0]: dependency cycle: a -> b -> a\n");
}

TEST_CASE("errors point at the entry in the normalized node") {
  auto root = parse_yaml(R"(services:
  a:
    depends_on:
      b: {condition: service_started, required: true}
  b:
    image: busybox
    links: [c, "a:alias"]
  c: {}
)",
                         "c.yaml");
  REQUIRE(root.ok());
  Project p = project({{"a", {"b"}}, {"b", {}}, {"c", {}}});
  p.services["b"].links = {"c", "a:alias"};
  for (auto& [name, s] : p.services) s.node = *root->find("services")->find(name);
  CHECK(build_error(p) == "c.yaml:4:7: services.a.depends_on.b: dependency cycle: a -> b -> a\n");
  p.services["a"].depends_on.clear();
  p.services.erase("a");
  CHECK(build_error(p) ==
        "c.yaml:7:16: services.b.links[1]: service \"b\" links to undefined service \"a\"\n");
}

TEST_CASE("select adds dependencies unless --no-deps") {
  auto g = build_ok(project(
      {{"web", {"api"}}, {"api", {"db", "cache"}}, {"db", {}}, {"cache", {}}, {"other", {}}}));
  CHECK(g.select({"web"}, true) == NameSet{"api", "cache", "db", "web"});
  CHECK(g.select({"api", "other"}, true) == NameSet{"api", "cache", "db", "other"});
  CHECK(g.select({"web"}, false) == NameSet{"web"});
  CHECK(g.select({"web", "nope"}, false) == NameSet{"web"});
  CHECK(g.select({}, true).empty());
  auto ok = g.select_checked({"api"}, true);
  REQUIRE(ok.ok());
  CHECK(*ok == NameSet{"api", "cache", "db"});
}

TEST_CASE("select_checked reports unknown and disabled names") {
  Project p = project({{"web", {}}});
  p.disabled_services["debug"].name = "debug";
  auto g = build_ok(p);
  auto r = g.select_checked({"nope", "web", "debug"}, true);
  REQUIRE_FALSE(r.ok());
  CHECK(format(r.errors()) ==
        "no such service: \"nope\"\nservice \"debug\" is disabled by its profiles\n");
}

TEST_CASE("with_dependants adds everything that needs the selection") {
  auto g = build_ok(
      project({{"web", {"api"}}, {"api", {"db"}}, {"worker", {"db"}}, {"db", {}}, {"other", {}}}));
  CHECK(g.with_dependants({"db"}) == NameSet{"api", "db", "web", "worker"});
  CHECK(g.with_dependants({"api"}) == NameSet{"api", "web"});
  CHECK(g.with_dependants({"web", "other"}) == NameSet{"other", "web"});
  CHECK(g.with_dependants({"nope"}).empty());
}

TEST_CASE("a depends_on list (before normalization) still gives positions") {
  auto root = parse_yaml("services:\n  web:\n    depends_on: [cache, db]\n", "c.yaml");
  REQUIRE(root.ok());
  Project p = project({{"web", {"db", "cache"}}, {"cache", {}}});
  p.services["web"].node = *root->find("services")->find("web");
  CHECK(build_error(p) ==
        "c.yaml:3:25: services.web.depends_on.db: service \"web\" depends on undefined service "
        "\"db\"\n");
}
