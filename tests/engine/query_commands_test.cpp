// top / port / images / ls / wait against a FakeRuntime: what they ask podman, what they print.
#include "engine/query_commands.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Project demo() {
  auto p = project("demo", {service("db"), service("web")});
  compose::Port http;
  http.target = 80;
  http.published = "8080";
  p.services.at("web").ports = {http};
  return p;
}

std::string ps_json(const std::vector<std::pair<std::string, std::string>>& cs) {
  std::string s = "[";
  for (const auto& [service, state] : cs) {
    if (s.size() > 1) s += ",";
    s += R"({"Id":"id-)" + service + R"(","Names":["demo-)" + service +
         R"(-1"],"Labels":{"io.qpod.project":"demo","io.qpod.service":")" + service +
         R"(","io.qpod.config-hash":"h"},"State":")" + state +
         R"(","Image":"localhost/qpod-busybox:latest","ImageID":"51ac3a39d11e7ee9"})";
  }
  return s + "]";
}

struct Out {
  std::ostringstream out, err;
};

}  // namespace

TEST_CASE("port prints the pod's published host port of the service's own port",
          "[engine][commands]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("ps --all", {0, ps_json({{"db", "exited"}, {"web", "running"}}), ""});
  rt.reply(
      "pod inspect demo",
      {0, R"({"InfraConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}})", ""});
  Out a;
  CHECK(port(p, rt, {"web", 80, "tcp", 0}, a.out, a.err) == 0);
  CHECK(a.out.str() == "0.0.0.0:8080\n");

  Out b;
  CHECK(port(p, rt, {"web", 80, "udp", 0}, b.out, b.err) == 1);
  CHECK(b.err.str() == "no port 80/udp for container demo-web-1: 80/tcp\n");
  Out c;  // the pod publishes 80 for web, not for db (and db is not running)
  CHECK(port(p, rt, {"db", 80, "tcp", 0}, c.out, c.err) == 1);
  CHECK(c.err.str() == "service \"db\" is not running\n");
  Out d;
  CHECK(port(p, rt, {"web", 80, "tcp", 2}, d.out, d.err) == 1);
  CHECK(d.err.str() == "service \"web\" is not running container #2\n");
}

TEST_CASE("images lists each container's image once inspected", "[engine][commands]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("ps --all", {0, ps_json({{"web", "running"}, {"db", "exited"}}), ""});
  rt.reply("image inspect", {0, R"([{"Id":"51ac3a39d11e7ee9","Size":2136713}])", ""});
  Out a;
  CHECK(images(p, rt, {}, a.out, a.err) == 0);
  CHECK(rt.calls_starting("image inspect") == Calls{"image inspect 51ac3a39d11e7ee9"});
  CHECK(a.out.str().find("demo-db-1           localhost/qpod-busybox   latest") !=
        std::string::npos);
  CHECK(a.out.str().find("demo-web-1") != std::string::npos);
  Out q;
  CHECK(images(p, rt, {{"web"}, "table", true}, q.out, q.err) == 0);
  CHECK(q.out.str() == "51ac3a39d11e7ee9\n");
}

TEST_CASE("ls lists projects, filtered by name", "[engine][commands]") {
  FakeRuntime rt;
  rt.reply(
      "ps --filter label=io.qpod.project",
      {0,
       R"([{"State":"running","Labels":{"io.qpod.project":"shop","io.qpod.config-files":"/s/compose.yaml"}},
                {"State":"running","Labels":{"io.qpod.project":"blog","io.qpod.config-files":"/b/compose.yaml"}}])",
       ""});
  Out a;
  CHECK(ls(rt, {false, true, "table", {}}, a.out, a.err) == 0);
  CHECK(a.out.str() == "blog\nshop\n");
  Out b;
  CHECK(ls(rt, {false, true, "table", {"name=^sh"}}, b.out, b.err) == 0);
  CHECK(b.out.str() == "shop\n");
  Out c;
  CHECK(ls(rt, {false, false, "table", {"status=running"}}, c.out, c.err) == 1);
  CHECK(c.err.str() == "invalid filter 'status'\n");
  Out d;
  CHECK(ls(rt, {true, true, "table", {}}, d.out, d.err) == 0);
  CHECK(rt.calls().back() == "ps --all --filter label=io.qpod.project --format json");
}

TEST_CASE("top prints each running container's name and podman top's table", "[engine][commands]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("ps --all", {0, ps_json({{"web", "running"}, {"db", "exited"}}), ""});
  rt.reply("top demo-web-1", {0, "USER PID COMMAND\nroot 1 sleep 60\n", ""});
  Out a;
  CHECK(top(p, rt, {}, a.out, a.err) == 0);
  CHECK(a.out.str() == "demo-web-1\nUSER PID COMMAND\nroot 1 sleep 60\n\n");
}

TEST_CASE("wait returns the exit code of the containers' `podman wait`", "[engine][commands]") {
  auto p = demo();
  FakeRuntime rt;
  rt.reply("ps --all", {0, ps_json({{"web", "exited"}}), ""});
  rt.reply("wait demo-web-1", {0, "3\n", ""});
  RecordingProgress progress;
  Out a;
  CHECK(wait(p, rt, progress, {{"web"}, false}, {}, a.out, a.err) == 3);
  CHECK(a.out.str() == "container \"demo-web-1\" exited with status code 3\n");
  Out b;
  CHECK(wait(p, rt, progress, {{"db"}, false}, {}, b.out, b.err) == 1);
  CHECK(b.err.str() == "no containers for project \"demo\"\n");
}
