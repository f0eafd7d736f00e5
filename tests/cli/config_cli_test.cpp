// `qpod config` end to end: the real binary, its flags, its exit codes and its stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/run_binary.h"

namespace fs = std::filesystem;

namespace {

using qpod::testing::Run;
using qpod::testing::run_qpod;

struct TempProject {
  fs::path dir;
  explicit TempProject(const std::string& compose) {
    dir = fs::temp_directory_path() /
          ("qpod-cli-" + std::to_string(getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir);
    std::ofstream(dir / "compose.yaml") << compose;
  }
  ~TempProject() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

const char* kStack = R"(name: shop
services:
  web:
    image: nginx
    depends_on: [api]
    ports: ["8080:80"]
  api:
    build: ./api
    environment: {PRICE: "$${not_a_var}", TAG: "${TAG:-dev}"}
    volumes: [data:/var/lib/api]
  debug:
    image: busybox
    profiles: [tools]
volumes:
  data: {}
)";

}  // namespace

TEST_CASE("config lists services, volumes, profiles and images") {
  TempProject p(kStack);
  CHECK(run_qpod(p.dir, {"config", "--services"}).out == "api\nweb\n");
  CHECK(run_qpod(p.dir, {"--profile", "tools", "config", "--services"}).out == "api\ndebug\nweb\n");
  CHECK(run_qpod(p.dir, {"config", "--volumes"}).out == "data\n");
  CHECK(run_qpod(p.dir, {"config", "--profiles"}).out == "tools\n");
  CHECK(run_qpod(p.dir, {"config", "--images"}).out == "shop-api\nnginx\n");
}

TEST_CASE("config -q validates only, --format json prints the same project") {
  TempProject p(kStack);
  Run quiet = run_qpod(p.dir, {"config", "-q"});
  CHECK(quiet.code == 0);
  CHECK(quiet.out.empty());
  Run json = run_qpod(p.dir, {"config", "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"TAG\": \"dev\"") != std::string::npos);
  CHECK(json.out.find("\"PRICE\": \"${not_a_var}\"") != std::string::npos);
}

TEST_CASE("config --no-interpolate keeps variables as written") {
  TempProject p(kStack);
  Run r = run_qpod(p.dir, {"config", "--no-interpolate"});
  CHECK(r.code == 0);
  CHECK(r.out.find("TAG: \"${TAG:-dev}\"") != std::string::npos);
}

TEST_CASE("config --hash is stable and changes with the service's configuration") {
  TempProject p(kStack);
  Run a = run_qpod(p.dir, {"config", "--hash", "*"});
  Run b = run_qpod(p.dir, {"config", "--hash", "web,api"});
  REQUIRE(a.code == 0);
  CHECK(a.out.rfind("api ", 0) == 0);
  CHECK(a.out.size() == b.out.size());
  CHECK(run_qpod(p.dir, {"config", "--hash", "*"}).out == a.out);
  std::ofstream(p.dir / "compose.override.yaml") << "services:\n  web:\n    environment: [X=1]\n";
  Run c = run_qpod(p.dir, {"config", "--hash", "*"});
  CHECK(c.out.substr(0, c.out.find('\n')) == a.out.substr(0, a.out.find('\n')));  // api same
  CHECK(c.out != a.out);                                                          // web not
  CHECK(run_qpod(p.dir, {"config", "--hash", "nope"}).code == 1);
}

TEST_CASE("config fails on a dependency cycle and prints its path") {
  TempProject p(R"(services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: [c]}
  c: {image: x, depends_on: [a]}
)");
  Run r = run_qpod(p.dir, {"config"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("dependency cycle: a -> b -> c -> a") != std::string::npos);
  CHECK(r.err.find("compose.yaml:2:") != std::string::npos);
}

TEST_CASE("config reports every error of a file with its position, exit code 1") {
  TempProject p(R"(services:
  web:
    image: nginx
    ports: ["80:80:80:80"]
    restart: sometimes
)");
  Run r = run_qpod(p.dir, {"config"});
  CHECK(r.code == 1);
  CHECK(r.err.find("compose.yaml:4:13: services.web.ports[0]: invalid port") != std::string::npos);
  CHECK(r.err.find("compose.yaml:5:14: services.web.restart: invalid restart policy") !=
        std::string::npos);
}

TEST_CASE("qpod --version and unknown flags") {
  TempProject p(kStack);
  CHECK(run_qpod(p.dir, {"--version"}).out.rfind("qpod version ", 0) == 0);
  CHECK(run_qpod(p.dir, {"config", "--bogus"}).code != 0);
}
