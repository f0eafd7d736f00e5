// create (plan_up without starts), cp, events, stats, volumes and attach: their plans and podman
// argv, without podman.
#include <catch2/catch.hpp>
#include <sstream>

#include "engine/copy.h"
#include "engine/events.h"
#include "engine/planner.h"
#include "engine/project_volumes.h"
#include "engine/service_containers.h"
#include "podman/command_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

std::string create_plan(const compose::Project& p, const Observed& obs, UpOptions o = {}) {
  o.create_only = true;
  return to_string(plan_up(p, graph_of(p), obs, o));
}

}  // namespace

TEST_CASE("create: the pod and containers are created, none started", "[engine][planner]") {
  auto p = project("demo", {service("db"), service("web")});
  depends(p, "web", "db", "service_healthy");
  CHECK(create_plan(p, {}) == R"(#1 create-pod (not found)
#2 create db (not found) after #1
#3 create web (not found) after #1
)");
  // The new pod is not started either (its infra would publish the ports); up starts it.
  UpOptions create;
  create.create_only = true;
  CHECK_FALSE(plan_up(p, graph_of(p), {}, create).actions.at(0).start_pod);
  CHECK(plan_up(p, graph_of(p), {}, {}).actions.at(0).start_pod);
  // Existing ones, running or not, stay as they are; a changed one is recreated, not started.
  Observed obs;
  obs.pod = ObservedPod{"podid", "demo", "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "db", "exited"), container(p, "web", "running", "oldhash")};
  for (auto& c : obs.containers) c.pod_id = "podid";
  CHECK(create_plan(p, obs) == R"(#1 remove web (config hash changed)
#2 create web (config hash changed) after #1
)");
  UpOptions wait;
  wait.wait = true;  // nothing to wait for: nothing runs
  CHECK(create_plan(p, obs, wait).find("wait") == std::string::npos);
}

TEST_CASE("cp: SERVICE:SRC and host paths read as docker compose reads them", "[engine]") {
  CHECK(parse_copy_arg("web:/etc/hosts").service == "web");
  CHECK(parse_copy_arg("web:/etc/hosts").path == "/etc/hosts");
  CHECK(parse_copy_arg("/abs/a:b").service.empty());
  CHECK(parse_copy_arg("./a:b").service.empty());
  CHECK(parse_copy_arg("./a:b").path == "./a:b");
  CHECK(parse_copy_arg("plain").service.empty());
  CHECK(parse_copy_arg("-").path == "-");
  CHECK(copy_service({"a:/x", "b:/y"}).errors().front().message ==
        "copying between services is not supported");
  CHECK_FALSE(copy_service({"./x", "/y"}).ok());
  CHECK_FALSE(copy_service({"", "web:/y"}).ok());
}

TEST_CASE("cp: out of the first container, into every one, names after --", "[engine]") {
  auto p = project("demo", {service("web")});
  Observed obs;
  auto c1 = container(p, "web"), c2 = container(p, "web"), run = container(p, "web");
  c2.name = "demo-web-2";
  run.name = "demo-web-run-abc";
  run.oneoff = true;
  obs.containers = {c2, c1, run};

  auto out = plan_copy(p, obs, {"web:/etc/hostname", "-out", 0, false, false});
  REQUIRE(out.ok());
  REQUIRE(out->size() == 1);
  CHECK(podman::join_argv(out->front()) == "cp -- demo-web-1:/etc/hostname -out");

  auto in = plan_copy(p, obs, {"./f", "web:/tmp/", 0, true, true});
  REQUIRE(in.ok());
  REQUIRE(in->size() == 3);
  CHECK(podman::join_argv((*in)[0]) == "cp --archive=false -- ./f demo-web-1:/tmp/");
  CHECK(podman::join_argv((*in)[1]) == "cp --archive=false -- ./f demo-web-2:/tmp/");
  CHECK(podman::join_argv((*in)[2]) == "cp --archive=false -- ./f demo-web-run-abc:/tmp/");

  auto second = plan_copy(p, obs, {"web:/x", ".", 2, false, false});
  REQUIRE(second.ok());
  CHECK(podman::join_argv(second->front()) == "cp -- demo-web-2:/x .");

  auto none = plan_copy(p, obs, {"web:/x", ".", 3, false, false});
  REQUIRE_FALSE(none.ok());
  CHECK(none.errors().front().message == "no container #3 found for service \"web\"");
  auto other = plan_copy(p, {}, {"web:/x", ".", 0, false, false});
  CHECK(other.errors().front().message == "no container found for service \"web\"");
}

TEST_CASE("events: podman's JSON lines as docker compose prints them", "[engine]") {
  const std::string line =
      R"({"ID":"2c34","Image":"localhost/qpod-busybox:latest","Name":"demo-web-1",)"
      R"("Status":"start","Time":"2026-12-06T23:19:33.247762028Z","Type":"container",)"
      R"("Attributes":{"io.qpod.service":"web","io.qpod.project":"demo",)"
      R"("com.docker.compose.service":"web","org.example":"x"}})";
  auto e = parse_event(line);
  REQUIRE(e);
  CHECK(e->service == "web");
  CHECK(event_text(*e) ==
        "2026-12-06 23:19:33.247762 container start 2c34 (image=localhost/qpod-busybox:latest, "
        "name=demo-web-1, org.example=x)");
  CHECK(event_json(*e) ==
        R"({"action":"start","attributes":{"image":"localhost/qpod-busybox:latest",)"
        R"("name":"demo-web-1","org.example":"x"},"id":"2c34","service":"web",)"
        R"("time":"2026-12-06T23:19:33.247762028Z","type":"container"})");
  CHECK_FALSE(parse_event("not json"));
  CHECK_FALSE(parse_event(R"({"Type":"pod","Status":"create"})"));
  CHECK_FALSE(parse_event(
      R"({"Type":"container","Attributes":{"io.qpod.service":"web","io.qpod.oneoff":"True"}})"));

  FakeRuntime rt;
  rt.reply("events", {0,
                      line + "\n" +
                          R"({"Type":"container","ID":"9","Status":"die","Time":"t",)"
                          R"("Attributes":{"io.qpod.service":"db"}})" +
                          "\n",
                      ""});
  std::ostringstream out, err;
  EventsOptions o;
  o.services = {"db"};
  o.json = true;
  o.since = "1h";
  CHECK(events("demo", rt, o, out, err) == 0);
  CHECK(rt.calls() == Calls{"events --filter=label=io.qpod.project=demo "
                            "--filter=type=container --format=json --since=1h"});
  CHECK(out.str() == R"({"action":"die","attributes":{},"id":"9","service":"db","time":"t",)"
                     R"("type":"container"})"
                     "\n");
}

TEST_CASE("volumes: the project's volumes, all or those the services mount", "[engine]") {
  auto p = project("demo", {service("web"), service("db")});
  compose::Mount m;
  m.type = "volume";
  m.source = "data";
  m.target = "/data";
  p.services.at("db").volumes.push_back(m);
  p.volumes["data"].name = "demo_data";
  FakeRuntime rt;
  rt.reply("volume ls", {0,
                         R"([{"Name":"demo_data","Driver":"local","Mountpoint":"/v/d",)"
                         R"("Scope":"local","Labels":{"io.qpod.project":"demo"}},)"
                         R"({"Name":"demo_cache","Driver":"local","Scope":"local"}])",
                         ""});
  std::ostringstream out, err;
  CHECK(volumes(p, rt, {}, out, err) == 0);
  CHECK(rt.calls() == Calls{"volume ls --filter=label=io.qpod.project=demo --format=json"});
  CHECK(out.str() ==
        "DRIVER              VOLUME NAME\n"
        "local               demo_cache\n"
        "local               demo_data\n");
  out.str("");
  VolumesOptions db;
  db.services = {"db"};
  db.quiet = true;
  CHECK(volumes(p, rt, db, out, err) == 0);
  CHECK(out.str() == "demo_data\n");
  out.str("");
  db.services = {"web"};
  CHECK(volumes(p, rt, db, out, err) == 0);
  CHECK(out.str().empty());
  out.str("");
  VolumesOptions json;
  json.format = "json";
  json.services = {"db"};
  CHECK(volumes(p, rt, json, out, err) == 0);
  CHECK(out.str() ==
        R"({"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"io.qpod.project=demo",)"
        R"("Links":"N/A","Mountpoint":"/v/d","Name":"demo_data","Scope":"local","Size":"N/A",)"
        R"("Status":"N/A"})"
        "\n");
}

TEST_CASE("stats and attach: user values after -- or joined with =", "[engine]") {
  podman::StatsArgs s;
  CHECK(podman::join_argv(podman::container_stats({"demo-web-1"}, s)) == "stats -- demo-web-1");
  s.all = s.no_stream = s.no_trunc = true;
  s.format = "--x {{.Name}}";
  CHECK(podman::container_stats({"a", "b"}, s) ==
        podman::Argv{"stats", "--all", "--no-stream", "--no-trunc", "--format=--x {{.Name}}", "--",
                     "a", "b"});
  podman::AttachArgs a;
  CHECK(podman::join_argv(podman::container_attach("demo-web-1", a)) == "attach -- demo-web-1");
  a.no_stdin = true;
  a.sig_proxy = false;
  a.detach_keys = "ctrl-x";
  CHECK(podman::join_argv(podman::container_attach("demo-web-1", a)) ==
        "attach --no-stdin --sig-proxy=false --detach-keys=ctrl-x -- demo-web-1");

  auto p = project("demo", {service("web"), service("db")});
  Observed obs;
  obs.containers = {container(p, "web", "exited"), container(p, "db")};
  auto running = select_containers(p, obs, {"", 0, false, true});
  REQUIRE(running.ok());
  REQUIRE(running->size() == 1);
  CHECK(running->front()->name == "demo-db-1");
  CHECK(select_containers(p, obs, {"web", 0, false, true}).errors().front().message ==
        "no running container found for service \"web\"");
}
