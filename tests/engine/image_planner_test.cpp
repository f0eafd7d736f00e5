// Images in plans: what up builds or pulls (pull_policy, --build, --no-build, --pull), --wait,
// down --rmi, and the plans of qpod build / qpod pull.
#include <catch2/catch.hpp>

#include "engine/images.h"
#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

// web builds (no image: tag demo-web), db runs a pulled image.
compose::Project built_and_pulled() {
  auto web = service("web");
  web.image.clear();
  web.build = compose::Build{};
  web.build->context = "/src/demo/web";
  auto p = project("demo", {service("db"), web});
  p.services.at("db").image = "docker.io/library/postgres:16";
  depends(p, "web", "db");
  return p;
}

Observed with_images(std::set<std::string> images) {
  Observed o;
  o.images = std::move(images);
  return o;
}

std::string plan_text(const compose::Project& p, const Observed& obs, const UpOptions& o = {}) {
  auto plan = plan_up(p, graph_of(p), obs, o);
  std::string text = to_string(plan);
  for (const auto& e : plan.errors) text += "error: " + format(e) + "\n";
  return text;
}

}  // namespace

TEST_CASE("images: the tag is `image`, else <project>-<service> in lower case", "[engine][build]") {
  auto p = built_and_pulled();
  CHECK(podman::image_of(p, p.services.at("web")) == "demo-web");
  CHECK(podman::image_of(p, p.services.at("db")) == "docker.io/library/postgres:16");
  auto upper = service("Api");
  upper.image.clear();
  CHECK(podman::image_of(project("demo", {upper}), upper) == "demo-api");
  CHECK(images_of(p) == std::vector<std::string>{"demo-web", "docker.io/library/postgres:16"});
}

TEST_CASE("up: missing images are built (with build) or pulled, before anything is created",
          "[engine][planner][build]") {
  auto p = built_and_pulled();
  CHECK(plan_text(p, with_images({})) == R"(#1 pull db (image missing)
#2 build web (image missing)
#3 create-pod (not found) after #1 #2
#4 run db (not found) after #1 #3
#5 run web (not found) after #2 #3 #4
)");
  // Present images: nothing to do for them.
  CHECK(plan_text(p, with_images({"demo-web", "docker.io/library/postgres:16"})) ==
        R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run web (not found) after #1 #2
)");
}

TEST_CASE("up: builds go one at a time, one step per image", "[engine][planner][build]") {
  auto a = service("a"), b = service("b"), c = service("c");
  for (auto* s : {&a, &b, &c}) s->build = compose::Build{};
  a.image = "localhost/shared:1";
  c.image = "localhost/shared:1";  // same image as a: one build
  b.image.clear();
  auto p = project("demo", {a, b, c});
  CHECK(plan_text(p, with_images({})) == R"(#1 build a (image missing)
#2 build b (image missing) after #1
#3 create-pod (not found) after #1 #2
#4 run a (not found) after #1 #3
#5 run b (not found) after #2 #3
#6 run c (not found) after #1 #3
)");
}

TEST_CASE("up --build rebuilds and recreates, --no-build refuses a missing image",
          "[engine][planner][build]") {
  auto p = built_and_pulled();
  Observed obs = with_images({"demo-web", "docker.io/library/postgres:16"});
  obs.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "db"), container(p, "web")};
  CHECK(plan_text(p, obs).empty());
  UpOptions build;
  build.images.build = true;
  CHECK(plan_text(p, obs, build) == R"(#1 build web (--build)
#2 remove web (image rebuilt) after #1
#3 run web (image rebuilt) after #1 #2
)");
  build.no_recreate = true;
  CHECK(plan_text(p, obs, build) == "#1 build web (--build)\n");

  UpOptions no_build;
  no_build.images.no_build = true;
  CHECK(plan_text(p, with_images({"docker.io/library/postgres:16"}), no_build) ==
        "error: service web: image demo-web is missing and --no-build was given (run `qpod "
        "build web`)\n");
}

TEST_CASE("up: pull_policy never, always, build, --pull overrides", "[engine][planner][build]") {
  auto p = built_and_pulled();
  auto& db = p.services.at("db");
  db.pull_policy = "never";
  CHECK(plan_text(p, with_images({"demo-web"})) ==
        "error: service db: image docker.io/library/postgres:16 is missing and its pull policy "
        "is never (pull or build it first)\n");
  Observed all = with_images({"demo-web", "docker.io/library/postgres:16"});
  db.pull_policy = "always";
  p.services.at("web").pull_policy = "build";
  CHECK(plan_text(p, all) == R"(#1 pull db (pull_policy always)
#2 build web (pull_policy build)
#3 create-pod (not found) after #1 #2
#4 run db (not found) after #1 #3
#5 run web (not found) after #2 #3 #4
)");
  db.pull_policy = "if_not_present";
  UpOptions always;
  always.images.pull = "always";
  always.services = {"db"};
  CHECK(plan_text(p, all, always) == R"(#1 pull db (pull_policy always)
#2 create-pod (not found) after #1
#3 run db (not found) after #1 #2
)");
  UpOptions never;
  never.images.pull = "never";
  CHECK(plan_text(p, with_images({}), never).find("error: service db: image") == 0);
}

TEST_CASE("up: images not observed are taken as present", "[engine][planner][build]") {
  auto p = built_and_pulled();
  CHECK(plan_text(p, Observed{}) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run web (not found) after #1 #2
)");
}

TEST_CASE("up --wait: healthy for services with a check, running for the others",
          "[engine][planner][build]") {
  auto p = project("demo", {service("db"), service("web"), service("job")});
  compose::Healthcheck hc;
  hc.test = {"CMD", "true"};
  p.services.at("db").healthcheck = hc;
  depends(p, "web", "db", "service_healthy");
  depends(p, "web", "job", "service_completed_successfully");
  UpOptions wait;
  wait.wait = true;
  // db's wait is the one web needs already; job is waited for to complete.
  CHECK(plan_text(p, Observed{}, wait) == R"(#1 create-pod (not found)
#2 run db (not found) after #1
#3 run job (not found) after #1
#4 wait-healthy db after #2
#5 wait-completed job after #3
#6 create web (not found) after #1
#7 start web (created) after #4 #5 #6
#8 wait-running web (wait) after #7
)");
  // Already running: still checked (web's dependency waits come first, as in any up).
  Observed obs;
  obs.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "db"), container(p, "web"), container(p, "job")};
  CHECK(plan_text(p, obs, wait) == R"(#1 wait-healthy db
#2 wait-completed job
#3 wait-running web (wait)
)");
}

TEST_CASE("down --rmi: local removes the <project>-<service> images, all every image",
          "[engine][planner][build]") {
  auto p = built_and_pulled();
  Observed obs;
  obs.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  obs.containers = {container(p, "db"), container(p, "web")};
  for (auto& c : obs.containers) c.pod_id = "podid";
  DownOptions local;
  local.rmi = "local";
  CHECK(to_string(plan_down(p, graph_of(p), obs, local)) == R"(#1 stop web
#2 remove-pod after #1
#3 remove-image demo-web after #2
)");
  DownOptions all;
  all.rmi = "all";
  CHECK(to_string(plan_down(p, graph_of(p), obs, all)) == R"(#1 stop web
#2 remove-pod after #1
#3 remove-image demo-web after #2
#4 remove-image docker.io/library/postgres:16 after #2
)");
}

TEST_CASE("down --rmi and a QPOD environment's image: local when qpod named it, all always",
          "[engine][planner][build][qenv]") {
  auto p = built_and_pulled();
  p.qpod = compose::QpodEnvironment{};
  p.qpod->build = compose::Build{};
  Observed obs;
  obs.pod = ObservedPod{"podid", p.name, "Running", podman::pod_hash(p)};
  DownOptions local;
  local.rmi = "local";
  CHECK(to_string(plan_down(p, graph_of(p), obs, local)) == R"(#1 remove-pod
#2 remove-image demo-web after #1
#3 remove-image localhost/demo-env after #1
)");
  // A tag the user chose is theirs, as an `image:` is: only --rmi all removes it.
  p.qpod->build->tags = {"localhost/dev:1"};
  CHECK(to_string(plan_down(p, graph_of(p), obs, local)) == R"(#1 remove-pod
#2 remove-image demo-web after #1
)");
  DownOptions all;
  all.rmi = "all";
  CHECK(to_string(plan_down(p, graph_of(p), obs, all)) == R"(#1 remove-pod
#2 remove-image demo-web after #1
#3 remove-image docker.io/library/postgres:16 after #1
#4 remove-image localhost/dev:1 after #1
)");
}

TEST_CASE("qpod build and qpod pull plans", "[engine][planner][build]") {
  auto p = built_and_pulled();
  CHECK(to_string(plan_build(p, {})) == "#1 build web\n");
  auto named = plan_build(p, {"db", "web"});
  CHECK(to_string(named) == "#1 build web\n");
  CHECK(named.warnings == std::vector<std::string>{"service db has no build: skipped"});
  CHECK(to_string(plan_pull(p, {})) == "#1 pull db\n");
  CHECK(plan_pull(p, {"web"}).warnings ==
        std::vector<std::string>{"service web builds its image: skipped (qpod build)"});
}

TEST_CASE("podman build argv: tag, file, target, args, labels, flags", "[engine][argv][build]") {
  auto web = service("web");
  web.image.clear();
  compose::Build b;
  b.context = "/src/demo/web";
  b.dockerfile = "build/Containerfile.dev";
  b.target = "dev";
  b.args = {{"VERSION", "1.2"}, {"FROM_ENV", std::nullopt}};
  b.labels = {{"org.example.team", "core"}};
  b.tags = {"localhost/web:dev"};
  web.build = b;
  auto p = project("demo", {web});
  podman::BuildFlags f;
  f.no_cache = true;
  f.pull = "always";
  f.build_args = {"EXTRA=1"};
  CHECK(podman::join_argv(podman::image_build(p, web, f)) ==
        "build --tag demo-web --tag localhost/web:dev --file /src/demo/web/build/Containerfile.dev"
        " --target dev --build-arg FROM_ENV --build-arg VERSION=1.2 --build-arg EXTRA=1"
        " --label org.example.team=core --label io.qpod.project=demo --label io.qpod.service=web"
        " --no-cache --pull=always /src/demo/web");
  // The default "Dockerfile" is left to podman (Containerfile first, then Dockerfile).
  web.build->dockerfile = "Dockerfile";
  web.build->tags.clear();
  web.build->args.clear();
  web.build->labels.clear();
  web.build->target.clear();
  web.image = "localhost/web:1";
  CHECK(podman::join_argv(podman::image_build(p, web, {})) ==
        "build --tag localhost/web:1 --label io.qpod.project=demo --label io.qpod.service=web "
        "/src/demo/web");
  CHECK(podman::join_argv(podman::image_rm({"demo-web"})) == "rmi --ignore demo-web");
  CHECK(podman::join_argv(podman::image_pull("busybox", true)) == "pull --quiet busybox");
}

TEST_CASE("up: a missing localhost/ image is an error at once, with a hint, never a pull",
          "[engine][planner][build]") {
  auto p = project("demo", {service("db")});
  p.services.at("db").image = "localhost/demo-db:1";
  CHECK(plan_text(p, with_images({})) ==
        "error: service db: image localhost/demo-db:1 is not here, and localhost/ is no registry "
        "to pull it from: is it in `podman images`? the name may be misspelled, or no registry "
        "has it\n");
  UpOptions always;
  always.images.pull = "always";  // asked for: podman says what it says
  CHECK(plan_text(p, with_images({}), always).rfind("#1 pull db (pull_policy always)", 0) == 0);
}
