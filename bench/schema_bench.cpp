// Times validate_schema on a generated file of N services (default 1,000), for both schemas.
// Usage: schema_bench [N] [rounds]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compose/parse.h"
#include "compose/schema.h"

using namespace qpod;
using namespace qpod::compose;

namespace {

std::string generate(int n) {
  std::string y =
      "name: bench\nx-qpod:\n  name: bench\n  image: localhost/dev:latest\n"
      "  mounts: [{source: /tmp}]\n  binaries: [{name: make, services: [s0]}]\n"
      "services:\n";
  for (int i = 0; i < n; ++i) {
    const std::string s = "s" + std::to_string(i);
    y += "  " + s + ":\n";
    y += "    image: registry.example.com/app/" + s + ":1.0\n";
    y += "    command: [\"serve\", \"--port\", \"8080\"]\n";
    y += "    restart: unless-stopped\n";
    y += "    ports:\n      - \"" + std::to_string(10000 + i) + ":8080\"\n";
    y += "      - target: 9090\n        published: \"" + std::to_string(20000 + i) + "\"\n";
    y += "    environment:\n      LOG_LEVEL: info\n      INDEX: " + std::to_string(i) + "\n";
    y += "    volumes:\n      - data-" + s + ":/var/lib/data\n      - ./conf:/etc/app:ro\n";
    y += "    labels: [\"tier=backend\", \"index=" + std::to_string(i) + "\"]\n";
    y += "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10s\n      retries: "
         "3\n";
    if (i > 0)
      y += "    depends_on:\n      s" + std::to_string(i - 1) +
           ":\n        condition: service_started\n";
    y += "    x-qpod: {start: auto, watch: [\"src/**\"]}\n";
  }
  return y;
}

double time_ms(const Node& root, Schema which, int rounds) {
  double best = 1e9;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto errors = validate_schema(root, which);
    auto t1 = std::chrono::steady_clock::now();
    if (!errors.empty()) {
      std::fprintf(stderr, "unexpected errors:\n%s\n", format(errors).c_str());
      std::exit(1);
    }
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
  auto root = parse_yaml(generate(n), "bench.yaml");
  if (!root) {
    std::fprintf(stderr, "%s\n", format(root.errors()).c_str());
    return 1;
  }
  // The first call parses the embedded schemas and builds valijson's: every process pays it once.
  auto t0 = std::chrono::steady_clock::now();
  validate_schema(*root);
  auto t1 = std::chrono::steady_clock::now();
  std::printf("first call (schema set-up + validation): %.1f ms\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  std::printf("%d services: compose %.1f ms, qpod dialect %.1f ms (best of %d)\n", n,
              time_ms(*root, Schema::kCompose, rounds),
              time_ms(*root, Schema::kQpodDialect, rounds), rounds);
  return 0;
}
