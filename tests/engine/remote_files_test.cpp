// Remote podman and this machine's files: `up` names, once, the services whose bind mounts,
// secrets or configs remote podman would look for on its own machine.
#include "engine/remote_files.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "engine/operations.h"
#include "engine/progress.h"
#include "podman/remote.h"
#include "tests/engine/fake_runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

compose::Mount mount(const std::string& type, const std::string& source,
                     const std::string& target) {
  compose::Mount m;
  m.type = type;
  m.source = source;
  m.target = target;
  return m;
}

compose::FileReference uses(const std::string& source) {
  compose::FileReference r;
  r.source = source;
  return r;
}

// web: a bind mount; db: a named volume and an external secret; api: a file secret; cfg: a
// content config; tmp: a tmpfs.
compose::Project mixed() {
  auto web = service("web");
  web.volumes = {mount("bind", "/src/demo/html", "/www")};
  auto db = service("db");
  db.volumes = {mount("volume", "data", "/var/lib/db")};
  db.secrets = {uses("vault")};
  auto api = service("api");
  api.secrets = {uses("token")};
  auto cfg = service("cfg");
  cfg.configs = {uses("settings")};
  auto tmp = service("tmp");
  tmp.volumes = {mount("tmpfs", "", "/run")};
  auto p = project("demo", {web, db, api, cfg, tmp});
  p.volumes["data"].name = "demo_data";
  p.secrets["vault"].external = true;
  p.secrets["token"].file = "/src/demo/token.txt";
  p.configs["settings"].content = "x=1";
  return p;
}

}  // namespace

TEST_CASE("remote files: bind mounts, secrets and configs are named, by service", "[remote]") {
  auto p = mixed();
  auto all = remote_files_warning(p, {"web", "db", "api", "cfg", "tmp"});
  REQUIRE(all);
  CHECK(*all ==
        "podman is remote: the bind mounts of web and the secret and config files of api, cfg"
        " are paths on this machine; the remote podman looks for them on its own");
  auto binds = remote_files_warning(p, {"web", "tmp"});
  REQUIRE(binds);
  CHECK(*binds ==
        "podman is remote: the bind mounts of web are paths on this machine; the remote podman"
        " looks for them on its own");
  // A named volume, a tmpfs and an external (podman's own) secret are the remote machine's.
  CHECK_FALSE(remote_files_warning(p, {"db", "tmp"}));
  CHECK_FALSE(remote_files_warning(p, {}));
}

TEST_CASE("remote files: up warns once when podman is remote, never when it is local", "[remote]") {
  auto p = mixed();
  const podman::RemoteOptions before = podman::remote_options();
  for (bool remote : {false, true}) {
    podman::RemoteOptions options;
    if (remote) options.connection = "staging";  // as `qpod --connection staging up`
    podman::set_remote_options(options);
    FakeRuntime rt;
    rt.reply("ps", {0, "[]", ""});
    rt.reply("pod ps", {0, "[]", ""});
    rt.reply("volume ls", {0, "[]", ""});
    rt.reply("network ls", {0, "[]", ""});
    RecordingProgress progress;
    RunOptions run;
    run.dry_run = true;
    std::ostringstream plan;
    UpOptions o;
    o.services = {"web", "api"};
    up(p, rt, progress, o, run, plan);
    int warned = 0;
    for (const auto& line : progress.lines())
      if (line.find("podman is remote") != std::string::npos) {
        ++warned;
        CHECK(line ==
              "WARN podman is remote: the bind mounts of web and the secret and config"
              " files of api are paths on this machine; the remote podman looks for"
              " them on its own");
      }
    INFO("remote " << remote);
    CHECK(warned == (remote ? 1 : 0));
    CHECK(plan.str().find("create") != std::string::npos);  // the plan itself is unchanged
  }
  podman::set_remote_options(before);
}
