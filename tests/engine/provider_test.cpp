// Provider services (engine/provider.h): the program's argv, its JSON lines, where it sits in
// the plans of up, down and stop, and what its variables do to the dependants' containers.
// A fake runtime answers for the provider programs as for podman.
#include "engine/provider.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "base/text.h"
#include "engine/executor.h"
#include "engine/operations.h"
#include "engine/planner.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

// Programs in /fake/bin (only `known` ones exist). A run is recorded as one call, the program's
// path first, and answered from the scripted replies (stdout, then stderr, line by line); the
// environment of each run is kept too.
class ProgramsFake : public FakeRuntime {
 public:
  explicit ProgramsFake(std::set<std::string> known = {"awesomecloud"})
      : known_(std::move(known)) {}
  std::string find_program(const std::string& name) override {
    return known_.count(name) ? "/fake/bin/" + name : "";
  }
  podman::RunResult stream_program(const std::string& path, const std::vector<std::string>& argv,
                                   const std::map<std::string, std::string>& env,
                                   const podman::LineSink& sink,
                                   const std::atomic<bool>*) override {
    std::vector<std::string> call{path};
    call.insert(call.end(), argv.begin(), argv.end());
    {
      std::lock_guard lock(env_mu_);
      envs_.push_back(env);
    }
    podman::RunResult r = run(call);
    for (const auto& line : split_lines(r.out)) sink(line, false);
    for (const auto& line : split_lines(r.err)) sink(line, true);
    return {r.exit_code, {}, {}};
  }
  std::vector<std::map<std::string, std::string>> envs() const {
    std::lock_guard lock(env_mu_);
    return envs_;
  }

 private:
  std::set<std::string> known_;
  mutable std::mutex env_mu_;
  std::vector<std::map<std::string, std::string>> envs_;  // of each program run, in order
};

compose::Service provider(const std::string& name, const std::string& type = "awesomecloud") {
  compose::Service s;
  s.name = name;
  s.provider = compose::Provider{type, {{"type", {"mysql"}}, {"size", {"256"}}}};
  return s;
}

// app depends on the provider service `database`.
compose::Project demo() {
  auto p = project("demo", {service("app"), provider("database")});
  depends(p, "app", "database");
  return p;
}

const char* kUp = "/fake/bin/awesomecloud compose --project-name=demo up";

std::size_t index_of(const Calls& calls, const std::string& prefix) {
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (calls[i].rfind(prefix, 0) == 0) return i;
  return calls.size();
}

bool has(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("provider: argv is compose, the project, the command, one --OPT=V each, the service",
          "[engine][provider]") {
  auto p = demo();
  auto& s = p.services.at("database");
  s.provider->options["zone"] = {"eu-1", "eu 2"};
  auto a = provider_argv(p, s, "up", {});
  REQUIRE(a.ok());
  CHECK(*a == std::vector<std::string>{"compose", "--project-name=demo", "up", "--size=256",
                                       "--type=mysql", "--zone=eu-1", "--zone=eu 2", "database"});
  CHECK(provider_argv(p, s, "down", {}).value()[2] == "down");
}

TEST_CASE("provider: with metadata, only declared options go and required ones must be set",
          "[engine][provider]") {
  auto meta = parse_provider_metadata(R"({"description": "Manage AwesomeCloud",
    "up": {"parameters": [{"name": "type", "required": true}, {"name": "name", "required": false}]},
    "down": {"parameters": [{"name": "name", "required": true}]}})");
  CHECK(meta.known);
  CHECK_FALSE(meta.has_stop);
  auto p = demo();
  const auto& s = p.services.at("database");
  CHECK(
      provider_argv(p, s, "up", meta).value() ==
      std::vector<std::string>{"compose", "--project-name=demo", "up", "--type=mysql", "database"});
  auto down = provider_argv(p, s, "down", meta);
  REQUIRE_FALSE(down.ok());
  CHECK(down.errors().front().message ==
        R"(required parameter "name" is missing from provider "awesomecloud" definition)");
  CHECK(parse_provider_metadata(R"({"stop": {}})").has_stop);
  // Not metadata (a provider that answers every command with its JSON lines): unknown.
  CHECK_FALSE(
      parse_provider_metadata("{\"type\":\"info\",\"message\":\"x\"}\n{\"type\":\"info\"}\n")
          .known);
  CHECK_FALSE(parse_provider_metadata("").known);
}

TEST_CASE("provider: a JSON line needs a string type", "[engine][provider]") {
  auto m = parse_provider_line(R"({"type": "setenv", "message": "URL=http://x/?a=b"})");
  REQUIRE(m);
  CHECK(m->type == "setenv");
  CHECK(m->message == "URL=http://x/?a=b");
  CHECK_FALSE(parse_provider_line("pulling 25%"));
  CHECK_FALSE(parse_provider_line(R"({"message": "x"})"));
  CHECK_FALSE(parse_provider_line(R"(["type", "info"])"));
}

TEST_CASE("provider: up runs the provider before its dependants, which wait for it",
          "[engine][provider][planner]") {
  auto p = demo();
  p.services.at("app").depends_on["database"].condition = "service_healthy";
  REQUIRE_REAL_GRAPH(p, "app", "database");
  CHECK(to_string(plan_up(p, graph_of(p), {}, {})) == R"(#1 create-pod (not found)
#2 provider-up database (provider)
#3 run app (not found) after #1 #2
)");
  // It has no image to pull and no place in the pod.
  CHECK(images_of(p) == std::vector<std::string>{"localhost/qpod-busybox:latest"});
  CHECK(podman::join_argv(podman::pod_create(p)).find("database") == std::string::npos);
  CHECK(podman::join_argv(podman::pod_create(p)).find("--add-host app:127.0.0.1") !=
        std::string::npos);
  // Up to date: the provider runs again (its `up` is idempotent), the container stays.
  Observed obs;
  obs.pod = ObservedPod{"podid", "demo", "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "app")};
  obs.containers[0].pod_id = "podid";
  UpOptions wait;
  wait.wait = true;
  CHECK(to_string(plan_up(p, graph_of(p), obs, wait)) == R"(#1 provider-up database (provider)
#2 wait-running app (wait)
)");
}

namespace {

// The pod of `p` up, with its app container in it.
Observed app_running(const compose::Project& p) {
  Observed obs;
  obs.pod = ObservedPod{"podid", "demo", "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "app")};
  obs.containers[0].pod_id = "podid";
  return obs;
}

}  // namespace

TEST_CASE("provider: down and stop call the provider after its dependants",
          "[engine][provider][planner]") {
  auto p = demo();
  Observed obs = app_running(p);
  CHECK(to_string(plan_down(p, graph_of(p), obs, {})) == R"(#1 remove-pod
#2 provider-down database after #1
)");
  CHECK(to_string(plan_stop(p, graph_of(p), obs, {})) == R"(#1 stop app
#2 provider-stop database after #1
)");
  // start and restart do not call providers, and a provider has no container to miss.
  CHECK(missing_containers(p, obs, {}).empty());
  CHECK(to_string(plan_start(p, graph_of(p), obs, {})).empty());
}

TEST_CASE("provider: setenv reaches dependants as SERVICE_KEY, rawsetenv as is",
          "[engine][provider][executor]") {
  auto p = demo();
  p.services.emplace("other", service("other"));  // does not depend on it: gets nothing
  p.services.at("app").environment["CLOUD_REGION"] = "user-region";
  ProgramsFake rt;
  rt.reply(kUp, {0,
                 R"({"type": "info", "message": "preparing mysql ...\nmore"}
{"type": "debug", "message": "api call 1"}
{"type": "setenv", "message": "URL=https://cloud/db?x=1"}
{"type": "rawsetenv", "message": "CLOUD_REGION=us-east-1"}
)",
                 ""});
  RecordingProgress progress;
  auto r = execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress);
  REQUIRE(r.ok());
  auto calls = rt.calls();
  CHECK(index_of(calls, "/fake/bin/awesomecloud compose metadata") <
        index_of(calls, std::string(kUp) + " --size=256 --type=mysql database"));
  REQUIRE(index_of(calls, kUp) < calls.size());
  auto app = rt.calls_starting("run --detach --name demo-app-1 ");
  REQUIRE(app.size() == 1);
  CHECK(index_of(calls, kUp) < index_of(calls, "run --detach --name demo-app-1 "));
  CHECK(app[0].find("--env DATABASE_URL=https://cloud/db?x=1") != std::string::npos);
  CHECK(app[0].find("--env CLOUD_REGION=us-east-1") != std::string::npos);
  CHECK(app[0].find("user-region") == std::string::npos);
  // The config hash stays the declared service's: the next up finds the container current.
  CHECK(app[0].find("io.qpod.config-hash=" + compose::service_hash(p.services.at("app"))) !=
        std::string::npos);
  auto other = rt.calls_starting("run --detach --name demo-other-1 ");
  REQUIRE(other.size() == 1);
  CHECK(other[0].find("DATABASE_URL") == std::string::npos);
  auto lines = progress.lines();
  CHECK(has(lines, "Service database preparing mysql ..."));
  CHECK_FALSE(has(lines, "more"));
  CHECK_FALSE(has(lines, "api call 1"));
  CHECK(has(lines, "Service database Created"));
  CHECK(has(
      lines,
      R"(WARN provider "database" overrides environment variable "CLOUD_REGION" in service "app")"));
}

TEST_CASE("provider: an error line or a failed exit fails up, and dependants never start",
          "[engine][provider][executor]") {
  auto p = demo();
  SECTION("an error message") {
    ProgramsFake rt;
    rt.reply(kUp, {0,
                   "{\"type\": \"info\", \"message\": \"x\"}\n"
                   "{\"type\": \"error\", \"message\": \"quota exceeded\"}\n",
                   ""});
    RecordingProgress progress;
    auto r = execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].service == "database");
    CHECK(r.failures[0].message == "quota exceeded");
    CHECK(rt.calls_starting("run").empty());
  }
  SECTION("a non-zero exit, with its last stderr line") {
    ProgramsFake rt;
    rt.reply(kUp, {3, "", "starting\nno credentials\n"});
    RecordingProgress progress;
    auto r = execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].message == "awesomecloud compose up failed (exit 3): no credentials");
    CHECK(rt.calls_starting("run").empty());
  }
  SECTION("a line that is not a message, or a setenv without '='") {
    for (const char* out : {"pulling 25%\n", "{\"type\": \"setenv\", \"message\": \"URL\"}\n",
                            "{\"type\": \"teleport\", \"message\": \"x\"}\n"}) {
      ProgramsFake rt;
      rt.reply(kUp, {0, out, ""});
      RecordingProgress progress;
      auto r = execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress);
      REQUIRE(r.failures.size() == 1);
      CHECK(r.failures[0].message.rfind("invalid response from provider awesomecloud", 0) == 0);
      CHECK(rt.calls_starting("run").empty());
    }
  }
}

TEST_CASE("provider: a missing program is named before anything runs",
          "[engine][provider][executor]") {
  auto p = demo();
  ProgramsFake rt(std::set<std::string>{});  // awesomecloud is not in PATH
  Plan plan = plan_up(p, graph_of(p), {}, {});
  auto errors = missing_providers(rt, p, plan);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.rfind("service database: provider program awesomecloud not found in PATH",
                                0) == 0);
  CHECK(rt.calls().empty());
  // The executor says the same if it meets one (a down, where containers go first).
  RecordingProgress progress;
  Plan down;
  down.actions = {{ActionKind::ProviderDown, "database", "", {}, ""}};
  auto r = execute(down, p, rt, progress);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message == "provider program awesomecloud not found in PATH");
}

TEST_CASE("provider: stop is called only when the metadata declares it",
          "[engine][provider][executor]") {
  auto p = demo();
  Plan stop;
  stop.actions = {{ActionKind::ProviderStop, "database", "", {}, ""}};
  {
    ProgramsFake rt;  // no metadata
    RecordingProgress progress;
    REQUIRE(execute(stop, p, rt, progress).ok());
    CHECK(rt.calls() == Calls{"/fake/bin/awesomecloud compose metadata"});
  }
  ProgramsFake rt;
  rt.reply(
      "/fake/bin/awesomecloud compose metadata",
      {0,
       R"({"description": "d", "up": {"parameters": []}, "stop": {"parameters": [{"name": "size"}]}})",
       ""});
  RecordingProgress progress;
  REQUIRE(execute(stop, p, rt, progress).ok());
  CHECK(rt.calls() == Calls{"/fake/bin/awesomecloud compose metadata",
                            "/fake/bin/awesomecloud compose --project-name=demo stop --size=256 "
                            "database"});
  CHECK(has(progress.lines(), "Service database Stopped"));
}

TEST_CASE("provider: the program runs with the project's environment, .env included",
          "[engine][provider][executor]") {
  auto p = demo();
  // What loading interpolated with: the process environment over .env (compose/variables.h).
  p.environment = {{"PATH", "/usr/bin"}, {"CLOUD_TOKEN", "from-dotenv"}};
  ProgramsFake rt;
  RecordingProgress progress;
  REQUIRE(execute(plan_up(p, graph_of(p), {}, {}), p, rt, progress).ok());
  auto envs = rt.envs();
  REQUIRE(envs.size() == 2);  // `compose metadata`, then `compose up`
  for (const auto& env : envs)
    CHECK(env ==
          std::map<std::string, std::string>{{"PATH", "/usr/bin"}, {"CLOUD_TOKEN", "from-dotenv"}});
}

TEST_CASE(
    "provider: up runs first the providers that wait for no container, as a plan of their own",
    "[engine][provider][planner]") {
  // database waits for nothing, cache for database (a provider), queue for app (a container).
  auto p = project("demo", {service("app"), provider("database"), provider("cache"),
                            provider("queue"), service("web")});
  depends(p, "cache", "database");
  depends(p, "app", "cache");
  depends(p, "queue", "app");
  depends(p, "web", "queue");
  REQUIRE_REAL_GRAPH(p, "queue", "app");
  Plan plan = plan_up(p, graph_of(p), {}, {});
  CHECK(to_string(leading_providers(plan)) == R"(#1 provider-up database (provider)
#2 provider-up cache (provider) after #1
)");
  // Once they ran, they are not planned again; queue still is, after app.
  UpOptions known;
  known.providers_done = {"database", "cache"};
  CHECK(to_string(plan_up(p, graph_of(p), {}, known)) == R"(#1 create-pod (not found)
#2 run app (not found) after #1
#3 provider-up queue (provider) after #2
#4 run web (not found) after #1 #3
)");
  CHECK(leading_providers(Plan{}).actions.empty());
}

TEST_CASE("provider: a kept dependant is recreated when the provider's variables changed",
          "[engine][provider][planner]") {
  auto p = demo();
  Observed obs = app_running(p);
  obs.containers[0].provided_hash = podman::provided_hash({{"DATABASE_URL", "old"}});
  UpOptions known;
  known.providers_done = {"database"};
  known.provided["app"] = {{"DATABASE_URL", "new"}};
  CHECK(to_string(plan_up(p, graph_of(p), obs, known)) ==
        R"(#1 remove app (provider variables changed)
#2 run app (provider variables changed) after #1
)");
  // The same values: current.
  known.provided["app"] = {{"DATABASE_URL", "old"}};
  CHECK(to_string(plan_up(p, graph_of(p), obs, known)).empty());
  // --no-recreate keeps it; before the provider ran nothing is known: kept as well.
  known.provided["app"] = {{"DATABASE_URL", "new"}};
  known.no_recreate = true;
  CHECK(to_string(plan_up(p, graph_of(p), obs, known)).empty());
  CHECK(to_string(plan_up(p, graph_of(p), obs, {})) == "#1 provider-up database (provider)\n");
  // A container made before the provider handed anything, and still nothing: current.
  obs.containers[0].provided_hash.clear();
  known = {};
  known.providers_done = {"database"};
  CHECK(to_string(plan_up(p, graph_of(p), obs, known)).empty());
  CHECK(podman::provided_hash({}).empty());
  CHECK(podman::provided_hash({{"A", "1"}}) != podman::provided_hash({{"A", "2"}}));
  CHECK(podman::provided_hash({{"A", "1"}, {"B", ""}}) != podman::provided_hash({{"A", "1=B"}}));
}

namespace {

// podman's answers for a project `demo` whose pod is up and whose app container got
// DATABASE_URL=`url` from the provider.
void observed_app(ProgramsFake& rt, const compose::Project& p, const std::string& url) {
  rt.reply("pod ps", podman::RunResult{0,
                                       R"([{"Name": "demo", "Id": "podid", "Status": "Running",
                           "Labels": {"io.qpod.config-hash": ")" +
                                           podman::pod_hash(p) + R"("}}])",
                                       ""});
  rt.reply("ps", podman::RunResult{
                     0,
                     R"([{"Id": "c1", "Names": ["demo-app-1"], "State": "running", "Pod": "podid",
                       "Labels": {"io.qpod.service": "app", "io.qpod.config-hash": ")" +
                         compose::service_hash(p.services.at("app")) +
                         R"(", "io.qpod.provided-hash": ")" +
                         podman::provided_hash({{"DATABASE_URL", url}}) + R"("}}])",
                     ""});
}

}  // namespace

TEST_CASE("provider: up recreates a current dependant when the provider hands a new value",
          "[engine][provider][executor]") {
  auto p = demo();
  ProgramsFake rt;
  observed_app(rt, p, "tiny://old");
  rt.reply(kUp, {0, R"({"type": "setenv", "message": "URL=tiny://new"})", ""});
  RecordingProgress progress;
  std::ostringstream plan_out;
  REQUIRE(up(p, rt, progress, {}, {}, plan_out) == 0);
  auto calls = rt.calls();
  REQUIRE(rt.calls_starting("rm").size() == 1);
  CHECK(rt.calls_starting("rm")[0].find("demo-app-1") != std::string::npos);
  auto run = rt.calls_starting("run --detach --name demo-app-1 ");
  REQUIRE(run.size() == 1);
  CHECK(run[0].find("--env DATABASE_URL=tiny://new") != std::string::npos);
  CHECK(run[0].find("io.qpod.provided-hash=" +
                    podman::provided_hash({{"DATABASE_URL", "tiny://new"}})) != std::string::npos);
  CHECK(index_of(calls, kUp) < index_of(calls, "rm"));
  CHECK(std::count_if(calls.begin(), calls.end(),
                      [](const std::string& c) { return c.rfind(kUp, 0) == 0; }) == 1);

  // The same value again: the container is current and stays.
  ProgramsFake same;
  observed_app(same, p, "tiny://new");
  same.reply(kUp, {0, R"({"type": "setenv", "message": "URL=tiny://new"})", ""});
  REQUIRE(up(p, same, progress, {}, {}, plan_out) == 0);
  CHECK(same.calls_starting("rm").empty());
  CHECK(same.calls_starting("run").empty());
  CHECK(index_of(same.calls(), kUp) < same.calls().size());
}

TEST_CASE("provider: a provider that fails first leaves everything else undone",
          "[engine][provider][executor]") {
  auto p = demo();
  ProgramsFake rt;
  rt.reply(kUp, {0, R"({"type": "error", "message": "quota exceeded"})", ""});
  RecordingProgress progress;
  std::ostringstream plan_out;
  CHECK(up(p, rt, progress, {}, {}, plan_out) == 1);
  CHECK(rt.calls_starting("pod create").empty());
  CHECK(rt.calls_starting("run").empty());
  CHECK(has(progress.lines(), "database: quota exceeded"));
  // --dry-run runs no provider: the plan shows it.
  ProgramsFake dry;
  RunOptions run;
  run.dry_run = true;
  REQUIRE(up(p, dry, progress, {}, run, plan_out) == 0);
  CHECK(index_of(dry.calls(), kUp) == dry.calls().size());
  CHECK(plan_out.str().find("provider-up database") != std::string::npos);
}

TEST_CASE("provider: a run one-off gets the variables, under its -e values",
          "[engine][provider][argv]") {
  auto p = demo();
  p.services.at("app").environment["KEEP"] = "1";
  podman::OneoffArgs a;
  a.provided = {{"DATABASE_URL", "https://cloud/db"}, {"KEEP", "from-provider"}, {"X", "p"}};
  a.env = {"X=cli"};
  const std::string argv =
      podman::join_argv(podman::container_run_oneoff(p, p.services.at("app"), a, "abc"));
  CHECK(argv.find("--env DATABASE_URL=https://cloud/db --env KEEP=from-provider --env X=cli ") !=
        std::string::npos);
  CHECK(argv.find("X=p") == std::string::npos);
  CHECK(podman::oneoff_name(p, p.services.at("app"), a, "abc") == "demo-app-run-abc");
  a.name = "mine";
  CHECK(podman::oneoff_name(p, p.services.at("app"), a, "abc") == "mine");
}
