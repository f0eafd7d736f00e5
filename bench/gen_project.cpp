#include "bench/gen_project.h"

#include <fmt/format.h>

#include <random>
#include <set>

namespace qpod::bench {
namespace {

std::string service_name(std::size_t i) { return fmt::format("svc-{:05}", i); }

constexpr const char* kTiers[] = {"frontend", "backend", "worker", "data"};

}  // namespace

Generated generate_project(const GenOptions& opts) {
  std::mt19937 rng(opts.seed);  // its output sequence is fixed by the standard
  Generated gen;
  std::string& out = gen.text;
  out = "name: bench\nservices:\n";
  for (std::size_t i = 0; i < opts.services; ++i) {
    const std::string name = service_name(i);
    const char* tier = kTiers[i % 4];
    out += fmt::format("  {}:\n", name);
    out += fmt::format("    image: registry.example.com/team/app-{}:1.{}.{}\n", i, i % 7, i % 13);
    out += fmt::format("    ports: [\"{}:8080\"]\n", 10000 + i);
    out += fmt::format(
        "    environment: {{APP_NAME: {}, LOG_LEVEL: info, DB_URL: "
        "\"postgres://db:5432/app{}\"}}\n",
        name, i);
    out += fmt::format("    volumes: [\"./data/{}:/var/lib/app\", \"shared:/cache:ro\"]\n", name);
    std::set<std::size_t> deps;
    const std::size_t want = i == 0 ? 0 : rng() % (opts.max_deps + 1);
    while (deps.size() < std::min(want, i)) deps.insert(rng() % i);
    for (std::size_t d : deps) gen.depends_on[name].push_back(service_name(d));
    if (!deps.empty() && i % 5 == 0) {  // some in the long form
      out += "    depends_on: {";
      const char* sep = "";
      for (std::size_t d : deps) {
        out += fmt::format("{}{}: {{condition: service_healthy, restart: true}}", sep,
                           service_name(d));
        sep = ", ";
      }
      out += "}\n";
    } else if (!deps.empty()) {
      out += "    depends_on: [";
      const char* sep = "";
      for (std::size_t d : deps) {
        out += sep + service_name(d);
        sep = ", ";
      }
      out += "]\n";
    }
    out +=
        "    healthcheck: {test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:8080/health\"], "
        "interval: 10s, timeout: 3s, retries: 3}\n";
    out +=
        fmt::format("    labels: {{com.example.tier: {}, com.example.index: \"{}\"}}\n", tier, i);
    out += "    restart: unless-stopped\n";
  }
  out += "volumes:\n  shared: {}\n";
  return gen;
}

}  // namespace qpod::bench
