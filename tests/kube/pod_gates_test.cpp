// depends_on inside one Pod (kube/pod_gates.h): which containers wait for what, the YAML of a
// gated Pod, and the wrapper script itself run by this machine's sh with the arguments the
// generator writes.
#include "kube/pod_gates.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kube/files.h"
#include "kube/generate.h"
#include "kube/images.h"
#include "podman/process.h"
#include "tests/support/load_project.h"
#include "tests/support/temp_dir.h"

using namespace qpod;
using qpod::testing::service_names;
using Strings = std::vector<std::string>;

namespace {

compose::Project load(const qpod::testing::TempDir& dir, const std::string& yaml) {
  return qpod::testing::load_project_yaml(dir, yaml, "gates").project;
}

// The options of a wrapped command (between "qpod-gate" and "--") and its argv (after "--").
struct Wrapped {
  Strings options, argv;
};
Wrapped split(const Strings& command) {
  REQUIRE(command.size() >= 5);
  CHECK(command[0] == "sh");
  CHECK(command[1] == "-c");
  CHECK(command[2] == kube::kGateScript);  // the script is the constant: nothing pasted in
  CHECK(command[3] == "qpod-gate");
  Wrapped w;
  std::size_t i = 4;
  for (; i < command.size() && command[i] != "--"; ++i) w.options.push_back(command[i]);
  REQUIRE(i < command.size());
  w.argv.assign(command.begin() + static_cast<long>(i) + 1, command.end());
  return w;
}

const char* kCiEnv = R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "httpd -f -p 5432 -h /data"]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null $$DB_URL/ready"]
      interval: 2s
      timeout: 3s
      retries: 5
      start_period: 3s
  migrate:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "echo 'it''s $$HOME' > /data/x"]
    depends_on:
      db: {condition: service_healthy}
  app:
    image: localhost/qpod-busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/it's"]
  tests:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "exit 3"]
    depends_on:
      app: {condition: service_healthy}
)";

const std::map<std::string, kube::ImageArgv> kBusybox{
    {"localhost/qpod-busybox:latest", kube::ImageArgv{{}, {"sh"}}}};

}  // namespace

TEST_CASE("kube pod gates: shell words are quoted, a CMD-SHELL test is kept as written") {
  CHECK(kube::shell_quote("a b") == "'a b'");
  CHECK(kube::shell_quote("it's") == "'it'\\''s'");
  CHECK(kube::shell_quote("") == "''");
  CHECK(kube::shell_quote("$(rm -rf /)`x`") == "'$(rm -rf /)`x`'");
  compose::Healthcheck h;
  h.test = {"CMD", "curl", "-fsS", "http://x/it's here"};
  CHECK(kube::health_shell(h) == "'curl' '-fsS' 'http://x/it'\\''s here'");
  h.test = {"CMD-SHELL", "wget -q $URL || exit 1"};
  CHECK(kube::health_shell(h) == "wget -q $URL || exit 1");
}

TEST_CASE(
    "kube pod gates: a service's argv is its entrypoint and command, else the image's parts") {
  qpod::testing::TempDir dir;
  auto p = load(dir, R"(
services:
  both:
    image: img-a
    entrypoint: ["/bin/tini", "--"]
    command: ["run", "x"]
  entry:
    image: img-a
    entrypoint: ["/bin/app"]
  cmd:
    image: img-a
    command: ["serve"]
  image:
    image: img-a
  missing:
    image: img-b
    command: ["serve"]
)");
  const std::map<std::string, kube::ImageArgv> images{
      {"img-a", kube::ImageArgv{{"/entry.sh"}, {"default", "cmd"}}}};
  auto argv = [&](const char* s) { return kube::known_argv(p, p.services.at(s), images); };
  CHECK(argv("both") == Strings{"/bin/tini", "--", "run", "x"});
  CHECK(argv("entry") == Strings{"/bin/app"});  // Compose drops the image's Cmd with it
  CHECK(argv("cmd") == Strings{"/entry.sh", "serve"});
  CHECK(argv("image") == Strings{"/entry.sh", "default", "cmd"});
  CHECK(argv("missing").empty());  // its image's entrypoint is not known
}

TEST_CASE("kube pod gates: ci-env's order, healthy and completed dependencies in one Pod") {
  qpod::testing::TempDir dir;
  auto p = load(dir, kCiEnv);
  auto plan = kube::plan_gates(p, service_names(p), {}, kBusybox);
  CHECK(plan.warnings.empty());
  REQUIRE(plan.command.size() == 4);

  auto db = split(plan.command.at("db"));
  // db runs its own healthcheck and marks itself healthy; retries + the start period's tries.
  // Others wait for it to be healthy: its argv runs as the wrapper's child (mode run), which
  // records its exit for them.
  CHECK(db.options == Strings{"name", "db", "health", "wget -q -O /dev/null $DB_URL/ready", "every",
                              "2", "tries", "7", "timeout", "3", "mode", "run"});
  CHECK(db.argv == Strings{"sh", "-c", "httpd -f -p 5432 -h /data"});

  auto migrate = split(plan.command.at("migrate"));
  // A one-shot without a restart policy of its own: not run again once it completed.
  CHECK(migrate.options == Strings{"name", "migrate", "healthy", "db", "mode", "once"});
  CHECK(migrate.argv == Strings{"sh", "-c", "echo 'it''s $HOME' > /data/x"});

  auto app = split(plan.command.at("app"));
  CHECK(app.options == Strings{"name", "app", "healthy", "db", "completed", "migrate", "health",
                               "'wget' '-q' '-O' '/dev/null' 'http://127.0.0.1:8080/it'\\''s'",
                               "every", "30", "tries", "3", "timeout", "30", "mode", "run"});
  CHECK(app.argv == Strings{"httpd", "-f", "-p", "8080"});

  auto tests = split(plan.command.at("tests"));  // waits, provides nothing: no name
  CHECK(tests.options == Strings{"healthy", "app"});
  CHECK(tests.argv == Strings{"sh", "-c", "exit 3"});

  // A one-shot that compose itself restarts runs again (mode run, not once).
  auto again = load(dir, std::string(kCiEnv) + R"(
    restart: always
  migrate2:
    image: localhost/qpod-busybox:latest
    command: ["true"]
    restart: unless-stopped
  migrate3:
    image: localhost/qpod-busybox:latest
    command: ["true"]
    restart: on-failure:3
  late:
    image: localhost/qpod-busybox:latest
    command: ["true"]
    depends_on:
      tests: {condition: service_completed_successfully}
      migrate2: {condition: service_completed_successfully}
      migrate3: {condition: service_completed_successfully}
)");
  auto replan = kube::plan_gates(again, service_names(again), {}, kBusybox);
  CHECK(split(replan.command.at("tests")).options ==
        Strings{"name", "tests", "healthy", "app", "mode", "run"});
  CHECK(split(replan.command.at("migrate2")).options == Strings{"name", "migrate2", "mode", "run"});
  CHECK(split(replan.command.at("migrate")).options ==
        Strings{"name", "migrate", "healthy", "db", "mode", "once"});
  // One that compose reruns after a failure only: not after it completed (mode retry).
  CHECK(split(replan.command.at("migrate3")).options ==
        Strings{"name", "migrate3", "mode", "retry"});
}

TEST_CASE(
    "kube pod gates: an unknown argv is named in a warning, a healthcheck is run by the "
    "dependant") {
  qpod::testing::TempDir dir;
  auto p = load(dir, R"(
services:
  web:
    image: nginx-like
    depends_on:
      db: {condition: service_healthy}
  db:
    image: db-like
    healthcheck:
      test: ["CMD", "pg_isready"]
  client:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "run"]
    depends_on:
      db: {condition: service_healthy}
      job: {condition: service_completed_successfully}
      web: {condition: service_started}
  job:
    image: job-like
)");
  auto plan = kube::plan_gates(p, service_names(p), {}, kBusybox);
  auto warned = [&](const std::string& part) {
    for (const auto& w : plan.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  };
  CHECK(warned("service web: depends_on db (service_healthy): the command of web is its image's"));
  CHECK(warned(
      "service client: depends_on job (service_completed_successfully): the command of job"));
  CHECK(warned("service client: depends_on web (service_started): the command of web"));
  CHECK(warned(
      "service client: depends_on db (service_healthy): the command of db is its image's, "
      "which was not read (podman image inspect), so client runs the healthcheck of db itself"));
  CHECK(plan.warnings.size() == 4);
  REQUIRE(plan.command.size() == 1);  // only client waits: for db's test
  auto client = split(plan.command.at("client"));
  CHECK(client.options == Strings{"test", "'pg_isready'"});
  CHECK(client.argv == Strings{"sh", "-c", "run"});

  // A healthy dependency without a healthcheck is waited for as started, and named.
  auto bare = load(dir, R"(
services:
  app:
    image: localhost/qpod-busybox:latest
    command: ["sh", "-c", "run"]
    depends_on:
      cache: {condition: service_healthy}
  cache:
    image: localhost/qpod-busybox:latest
)");
  auto started = kube::plan_gates(bare, service_names(bare), {}, kBusybox);
  REQUIRE(started.warnings.size() == 1);
  CHECK(started.warnings[0] ==
        "service app: depends_on cache (service_healthy): cache has no healthcheck: app waits for "
        "it to start");
  CHECK(split(started.command.at("app")).options == Strings{"started", "cache"});
  CHECK(split(started.command.at("cache")).options == Strings{"name", "cache"});
  CHECK(split(started.command.at("cache")).argv == Strings{"sh"});  // the image's Cmd

  // An init container runs before every container: nothing waits for it, nothing is named.
  auto with_init = kube::plan_gates(p, {"client", "web", "db"}, {"job"}, kBusybox);
  CHECK(split(with_init.command.at("client")).options == Strings{"test", "'pg_isready'"});
  for (const auto& w : with_init.warnings) CHECK(w.find("depends_on job") == std::string::npos);
}

TEST_CASE("kube pod gates: the Pod's YAML, the wrapped containers share a gates emptyDir") {
  qpod::testing::TempDir dir;
  auto l = qpod::testing::load_project_yaml(dir, kCiEnv, "gates");
  const auto& p = l.project;
  auto files = kube::read_file_objects(p, service_names(p));
  REQUIRE(files.ok());
  files->images = kBusybox;
  auto m = kube::generate(p, l.graph, *files, {});
  REQUIRE(m.ok());
  auto pod = YAML::LoadAll(m->yaml).back();
  auto spec = pod["spec"];
  std::string gate_volume;
  for (const auto& v : spec["volumes"])
    if (v["emptyDir"] && v["name"].as<std::string>().find("qpod-gates") != std::string::npos)
      gate_volume = v["name"].as<std::string>();
  CHECK(gate_volume == "gates-qpod-gates");  // named after the Pod: podman shares it by name
  CHECK_FALSE(spec["initContainers"]);  // podman 4.3 would restart one under restartPolicy Always
  for (const auto& c : spec["containers"]) {
    INFO(c["name"].as<std::string>());
    CHECK_FALSE(c["args"]);  // the argv is in the command, after "--"
    CHECK(c["command"].as<Strings>()[2] == kube::kGateScript);
    // The Pod's uid, for the wrapper's folder of markers.
    REQUIRE(c["env"]);
    CHECK(c["env"][0]["name"].as<std::string>() == kube::kGatePodVariable);
    CHECK(c["env"][0]["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>() == "metadata.uid");
    bool mounted = false;
    for (const auto& mnt : c["volumeMounts"])
      mounted |= mnt["name"].as<std::string>() == gate_volume &&
                 mnt["mountPath"].as<std::string>() == kube::kGateDir;
    CHECK(mounted);
  }
  for (const auto& w : m->warnings) CHECK(w.find("depends_on") == std::string::npos);

  // Without the images' argv: no gate, no volume, and each order is named.
  files->images.clear();
  auto plain = kube::generate(p, l.graph, *files, {});
  REQUIRE(plain.ok());
  auto plain_spec = YAML::LoadAll(plain->yaml).back()["spec"];
  CHECK_FALSE(plain_spec["initContainers"]);
  CHECK(plain_spec["containers"][0]["args"]);
  for (const auto& c : plain_spec["containers"])
    for (const auto& e : c["env"]) CHECK(e["name"].as<std::string>() != kube::kGatePodVariable);
  int named = 0;
  for (const auto& w : plain->warnings) named += w.find("depends_on") != std::string::npos;
  CHECK(named == 4);
}

TEST_CASE("kube pod gates: an image's Entrypoint and Cmd from podman image inspect") {
  auto a = kube::parse_image_argv(
      R"([{"Id":"x","Config":{"Entrypoint":["/e","-x"],"Cmd":["nginx","-g","daemon off;"]}}])");
  REQUIRE(a.ok());
  CHECK(a->entrypoint == Strings{"/e", "-x"});
  CHECK(a->cmd == Strings{"nginx", "-g", "daemon off;"});
  auto none = kube::parse_image_argv(R"([{"Id":"x","Config":{"Cmd":["sh"],"Entrypoint":null}}])");
  REQUIRE(none.ok());
  CHECK(none->entrypoint.empty());
  CHECK(none->cmd == Strings{"sh"});
  CHECK_FALSE(kube::parse_image_argv("[]").ok());
  CHECK_FALSE(kube::parse_image_argv(R"([{"Config":{"Cmd":"sh"}}])").ok());
  CHECK_FALSE(kube::parse_image_argv("not json").ok());
}
