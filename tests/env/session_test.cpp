#include "env/session.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "engine/lock.h"
#include "podman/podman_argv.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine::testing;

namespace {

// A project of one service, db, named for this process (the lock and the ready stamp are files
// per project name); removes those files at the end.
struct SessionProject {
  compose::Project p;
  graph::ServiceGraph g;
  explicit SessionProject(const std::string& tag)
      : p(project("s6keys-" + tag + "-" + std::to_string(::getpid()), {service("db")})),
        g(graph_of(p)) {}
  ~SessionProject() {
    std::error_code ec;
    for (const char* ext : {".lock", ".env-ready", ".env-built"})
      std::filesystem::remove(podman::lock_dir() + "/" + p.name + ext, ec);
  }
  std::string env_name() const { return p.name + "-env"; }
  // The environment container's create argv, as env_container_create gives it.
  std::vector<std::string> create(const std::string& hash) const {
    return {"run",
            "--detach",
            "--name",
            env_name(),
            "--label",
            "io.qpod.config-hash=" + hash,
            "localhost/qpod-busybox:latest"};
  }
  // podman pod ps / ps replies: the pod as up makes it, db running its configuration, and the
  // environment container in `env_state` with hash `env_hash` ("" for none).
  void observed(FakeRuntime& rt, const std::string& env_state, const std::string& env_hash) const {
    rt.reply("pod ps", {0,
                        R"([{"Name": ")" + p.name + R"(", "Id": "pod1", "Status": "Running",
                             "Labels": {"io.qpod.config-hash": ")" +
                            podman::pod_hash(p) + R"("}}])",
                        ""});
    std::string ps = R"([{"Id": "c1", "Names": [")" + p.name + R"(-db-1"], "State": "running",
                          "Pod": "pod1", "Labels": {"io.qpod.service": "db",
                          "io.qpod.config-hash": ")" +
                     compose::service_hash(p.services.at("db")) + R"("}})";
    if (!env_state.empty())
      ps += R"(, {"Id": "e1", "Names": [")" + env_name() + R"("], "State": ")" + env_state +
            R"(", "Pod": "pod1", "Labels": {"io.qpod.service": ")" + env_name() +
            R"(", "io.qpod.oneoff": "True", "io.qpod.config-hash": ")" + env_hash + R"("}})";
    rt.reply("ps", {0, ps + "]", ""});
  }
};

bool has_call(const Calls& calls, const std::string& prefix) {
  for (const auto& c : calls)
    if (c.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE(
    "prepare_environment with nothing there brings the pod and services up, then creates the "
    "environment container") {
  SessionProject sp("empty");
  FakeRuntime rt;
  std::ostringstream err;
  CHECK(env::prepare_environment(sp.p, sp.g, rt, {"db"}, sp.create("h1"), err) == 0);
  CHECK(err.str().find("qpod:") == std::string::npos);
  const Calls calls = rt.calls();
  const std::string create = "run --detach --name " + sp.env_name();
  std::size_t pod_create = calls.size(), env_create = calls.size(), env_creates = 0;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].rfind("pod create", 0) == 0 && pod_create == calls.size()) pod_create = i;
    if (calls[i].rfind(create, 0) == 0) {
      env_create = i;
      ++env_creates;
    }
  }
  CHECK(pod_create < env_create);
  CHECK(env_creates == 1);
  bool db_made = false;  // by engine::up, before the environment container
  for (std::size_t i = 0; i < env_create && i < calls.size(); ++i)
    db_made = db_made || calls[i].find("--name " + sp.p.name + "-db-1") != std::string::npos;
  CHECK(db_made);
}

TEST_CASE("prepare_environment with everything running only observes") {
  SessionProject sp("ready");
  FakeRuntime rt;
  sp.observed(rt, "running", "h1");
  std::ostringstream err;
  CHECK(env::prepare_environment(sp.p, sp.g, rt, {"db"}, sp.create("h1"), err) == 0);
  const Calls calls = rt.calls();
  CHECK_FALSE(has_call(calls, "pod create"));
  CHECK_FALSE(has_call(calls, "create"));
  CHECK_FALSE(has_call(calls, "run"));
  CHECK_FALSE(has_call(calls, "start"));
  CHECK_FALSE(has_call(calls, "rm"));
  CHECK(err.str().empty());
}

TEST_CASE(
    "prepare_environment starts a stopped environment container and replaces an outdated one") {
  {
    SessionProject sp("stopped");
    FakeRuntime rt;
    sp.observed(rt, "exited", "h1");
    std::ostringstream err;
    CHECK(env::prepare_environment(sp.p, sp.g, rt, {"db"}, sp.create("h1"), err) == 0);
    CHECK(rt.calls_starting("start") == Calls{"start " + sp.env_name()});
    CHECK_FALSE(has_call(rt.calls(), "run --detach"));
  }
  {
    SessionProject sp("outdated");
    FakeRuntime rt;
    sp.observed(rt, "running", "old");
    std::ostringstream err;
    CHECK(env::prepare_environment(sp.p, sp.g, rt, {"db"}, sp.create("h1"), err) == 0);
    CHECK(rt.calls_starting("rm") == Calls{"rm --force --volumes " + sp.env_name()});
    CHECK(rt.calls_starting("run --detach").size() == 1);
    CHECK_FALSE(has_call(rt.calls(), "start"));
  }
}

TEST_CASE("prepare_environment reports a failed environment container create on err") {
  SessionProject sp("fails");
  FakeRuntime rt;
  sp.observed(rt, "", "");
  rt.fail_on({"run", "--detach"}, "Error: no space left");
  std::ostringstream err;
  CHECK(env::prepare_environment(sp.p, sp.g, rt, {"db"}, sp.create("h1"), err) == 1);
  CHECK(err.str().find("no space left") != std::string::npos);
}

TEST_CASE("services_for takes start auto services and the binary's services") {
  auto p = project("s6keys-services", {service("db"), service("cache"), service("tool")});
  compose::QpodService manual;
  manual.start = "binary";
  p.services.at("cache").qpod = manual;
  p.services.at("tool").qpod = manual;
  env::Decision d;
  CHECK(env::services_for(p, d) == std::vector<std::string>{"db"});
  compose::QpodBinary b;
  b.services = {"tool", "db", "nope"};
  d.binary = b;
  CHECK(env::services_for(p, d) == std::vector<std::string>{"db", "tool"});
}
