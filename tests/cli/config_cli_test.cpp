// `qpod config` end to end: the real binary, its flags, its exit codes and its stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Run {
  int code;
  std::string out, err;
};

// Runs qpod with `args` in `dir` (argv, no shell), with an empty environment but PATH.
Run qpod(const fs::path& dir, std::vector<std::string> args) {
  const fs::path out = dir / ".out", err = dir / ".err";
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    std::vector<char*> argv{const_cast<char*>(QPOD_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    char path[] = "PATH=/usr/bin:/bin";
    char* envp[] = {path, nullptr};
    execve(QPOD_BINARY, argv.data(), envp);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

struct TempProject {
  fs::path dir;
  explicit TempProject(const std::string& compose) {
    dir = fs::temp_directory_path() / ("qpod-cli-" + std::to_string(getpid()) + "-" +
                                       std::to_string(counter()++));
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
  CHECK(qpod(p.dir, {"config", "--services"}).out == "api\nweb\n");
  CHECK(qpod(p.dir, {"--profile", "tools", "config", "--services"}).out == "api\ndebug\nweb\n");
  CHECK(qpod(p.dir, {"config", "--volumes"}).out == "data\n");
  CHECK(qpod(p.dir, {"config", "--profiles"}).out == "tools\n");
  CHECK(qpod(p.dir, {"config", "--images"}).out == "shop-api\nnginx\n");
}

TEST_CASE("config -q validates only; --format json prints the same project") {
  TempProject p(kStack);
  Run quiet = qpod(p.dir, {"config", "-q"});
  CHECK(quiet.code == 0);
  CHECK(quiet.out.empty());
  Run json = qpod(p.dir, {"config", "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"TAG\": \"dev\"") != std::string::npos);
  CHECK(json.out.find("\"PRICE\": \"${not_a_var}\"") != std::string::npos);
}

TEST_CASE("config --no-interpolate keeps variables as written") {
  TempProject p(kStack);
  Run r = qpod(p.dir, {"config", "--no-interpolate"});
  CHECK(r.code == 0);
  CHECK(r.out.find("TAG: \"${TAG:-dev}\"") != std::string::npos);
}

TEST_CASE("config --hash is stable and changes with the service's configuration") {
  TempProject p(kStack);
  Run a = qpod(p.dir, {"config", "--hash", "*"});
  Run b = qpod(p.dir, {"config", "--hash", "web,api"});
  REQUIRE(a.code == 0);
  CHECK(a.out.rfind("api ", 0) == 0);
  CHECK(a.out.size() == b.out.size());
  CHECK(qpod(p.dir, {"config", "--hash", "*"}).out == a.out);
  std::ofstream(p.dir / "compose.override.yaml") << "services:\n  web:\n    environment: [X=1]\n";
  Run c = qpod(p.dir, {"config", "--hash", "*"});
  CHECK(c.out.substr(0, c.out.find('\n')) == a.out.substr(0, a.out.find('\n')));  // api same
  CHECK(c.out != a.out);                                                            // web not
  CHECK(qpod(p.dir, {"config", "--hash", "nope"}).code == 1);
}

TEST_CASE("config fails on a dependency cycle and prints its path") {
  TempProject p(R"(services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: [c]}
  c: {image: x, depends_on: [a]}
)");
  Run r = qpod(p.dir, {"config"});
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
  Run r = qpod(p.dir, {"config"});
  CHECK(r.code == 1);
  CHECK(r.err.find("compose.yaml:4:13: services.web.ports[0]: invalid port") != std::string::npos);
  CHECK(r.err.find("compose.yaml:5:14: services.web.restart: invalid restart policy") !=
        std::string::npos);
}

TEST_CASE("qpod --version and unknown flags") {
  TempProject p(kStack);
  CHECK(qpod(p.dir, {"--version"}).out.rfind("qpod version ", 0) == 0);
  CHECK(qpod(p.dir, {"config", "--bogus"}).code != 0);
}
