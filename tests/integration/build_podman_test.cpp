// Images on real podman: qpod build, builds on demand in up, up --build, a broken build,
// pull_policy never, down --rmi local, and up --wait.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::podman;
using qpod::it::ProjectGuard;

namespace {

// Removes the images a test built (ProjectGuard removes containers, pods and volumes only).
struct ImageGuard {
  std::vector<std::string> images;
  ~ImageGuard() {
    for (const auto& i : images) podman({"rmi", "--force", "--ignore", i});
  }
};

bool image_exists(const std::string& image) { return podman({"image", "exists", image}).ok(); }

std::string image_label(const std::string& image, const std::string& key) {
  auto r = podman({"image", "inspect", "--format", "{{index .Labels \"" + key + "\"}}", image});
  return r.ok() ? qpod::it::trim(r.out) : "";
}

// A service `app` built from ./app, FROM the test image, with an ARG written into the image.
void write_built_app(const ProjectGuard& p, const std::string& run = "") {
  std::filesystem::create_directories(p.dir() / "app");
  p.write("app/Containerfile", std::string("FROM ") + qpod::it::kImage +
                                   "\nARG GREETING=none\n"
                                   "RUN echo \"$GREETING\" > /greeting\n" +
                                   run);
  p.write("compose.yaml",
          "services:\n"
          "  app:\n"
          "    build:\n"
          "      context: ./app\n"
          "      args:\n"
          "        GREETING: hello\n"
          "      labels:\n"
          "        org.qpod.test: built\n"
          "    init: true\n"
          "    command: [\"sleep\", \"600\"]\n");
}

std::string greeting(const ProjectGuard& p) {
  auto r = podman({"exec", p.name() + "-app-1", "cat", "/greeting"});
  return r.ok() ? qpod::it::trim(r.out) : "exec failed: " + r.err;
}

}  // namespace

TEST_CASE("qpod build tags <project>-<service> with args and labels, up runs it, down --rmi local",
          "[podman][build]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("build"));
  std::string image = "localhost/" + p.name() + "-app:latest";
  ImageGuard images{{image}};
  write_built_app(p);

  auto build = p.qpod({"build"});
  INFO(build.out << build.err);
  REQUIRE(build.exit_code == 0);
  CHECK(build.out.find("Image " + p.name() + "-app  Built") != std::string::npos);
  REQUIRE(image_exists(image));
  CHECK(image_label(image, "org.qpod.test") == "built");
  CHECK(image_label(image, "io.qpod.project") == p.name());
  CHECK(p.leftovers() == "");  // build creates no container

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("Building") == std::string::npos);  // present: not built again
  CHECK(inspect(p.name() + "-app-1", "{{.ImageName}}") == image);
  CHECK(inspect(p.name() + "-app-1", "{{.State.Status}}") == "running");
  CHECK(greeting(p) == "hello");

  auto down = p.qpod({"down", "-t", "0", "--rmi", "local"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(down.out.find("Image " + p.name() + "-app  Removed") != std::string::npos);
  CHECK_FALSE(image_exists(image));
  CHECK(image_exists(qpod::it::kImage));  // the base image is not ours: kept
  CHECK(p.leftovers() == "");
}

TEST_CASE("up builds a missing image, a broken build creates nothing, up --build rebuilds",
          "[podman][build]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("buildfail"));
  std::string image = "localhost/" + p.name() + "-app:latest";
  ImageGuard images{{image}};
  write_built_app(p, "RUN echo about to fail && false\n");

  auto broken = p.qpod({"up", "-d"});
  INFO(broken.out << broken.err);
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("app: building image " + p.name() + "-app failed") != std::string::npos);
  CHECK(broken.err.find("about to fail") != std::string::npos);  // the build's output
  CHECK(p.leftovers() == "");                                    // no pod, no container
  CHECK_FALSE(image_exists(image));

  write_built_app(p);  // fixed: the next up converges
  auto fixed = p.qpod({"up", "-d"});
  INFO(fixed.out << fixed.err);
  REQUIRE(fixed.exit_code == 0);
  CHECK(fixed.out.find("Image " + p.name() + "-app  Built") != std::string::npos);
  CHECK(greeting(p) == "hello");

  // A changed Containerfile: up keeps the image; up --build rebuilds and recreates.
  write_built_app(p, "RUN echo v2 > /greeting\n");
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  CHECK(greeting(p) == "hello");
  auto rebuilt = p.qpod({"up", "-d", "--build"});
  INFO(rebuilt.out << rebuilt.err);
  REQUIRE(rebuilt.exit_code == 0);
  CHECK(greeting(p) == "v2");
  CHECK(p.qpod({"down", "-t", "0", "--rmi", "local"}).exit_code == 0);
  CHECK_FALSE(image_exists(image));
}

TEST_CASE("pull_policy never with a missing image fails before creating anything",
          "[podman][build]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("pullnever"));
  std::string missing = "localhost/qpod-it-missing-" + p.name() + ":latest";
  p.write("compose.yaml", "services:\n  db:\n    image: " + std::string(qpod::it::kImage) +
                              "\n    command: [\"sleep\", \"600\"]\n"
                              "  app:\n    image: " +
                              missing + "\n    pull_policy: never\n");
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  CHECK(up.exit_code == 1);
  CHECK(up.err.find("compose.yaml:6:12: services.app.image: image " + missing +
                    " is missing and its pull policy is never") != std::string::npos);
  CHECK(p.leftovers() == "");
}

TEST_CASE("up --wait: exit 0 once healthy, exit 1 with the health output when never healthy",
          "[podman][build][wait]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("wait"));
  std::string svc = std::string("    image: ") + qpod::it::kImage +
                    "\n    init: true\n    command: [\"sleep\", \"600\"]\n";
  p.write(
      "compose.yaml",
      "services:\n"
      "  plain:\n" +
          svc + "  db:\n" + svc +
          "    healthcheck:\n"
          "      test: [\"CMD-SHELL\", \"test -f /tmp/ready || { echo not ready yet; exit 1; }\"]\n"
          "      interval: 1s\n"
          "      retries: 3\n");
  // db becomes ready after about a second, while up waits.
  p.write("compose.override.yaml",
          "services:\n  db:\n    command: [\"sh\", \"-c\", \"sleep 1; touch /tmp/ready; "
          "exec sleep 600\"]\n");
  auto up = p.qpod({"up", "--wait"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("Container " + p.name() + "-db-1  Healthy") != std::string::npos);
  CHECK(up.out.find("Container " + p.name() + "-plain-1  Running") != std::string::npos);
  CHECK(up.err.find("attaching") == std::string::npos);  // --wait implies -d
  // --dry-run shows the waits
  auto plan = p.qpod({"up", "--wait", "--dry-run"});
  CHECK(plan.out == "#1 wait-healthy db (wait)\n#2 wait-running plain (wait)\n");

  // Never healthy: exit 1 with the check's output.
  p.write("compose.override.yaml", "services:\n  db:\n    command: [\"sleep\", \"601\"]\n");
  auto bad = p.qpod({"up", "--wait"});
  INFO(bad.out << bad.err);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("db: service db is unhealthy (exit 1: not ready yet)") != std::string::npos);
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}
