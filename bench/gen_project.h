#pragma once
// Synthetic Compose projects for benchmarks: realistic services (image, ports, environment,
// volumes, depends_on on a few earlier services, healthcheck, labels), about 9 lines each.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qpod::bench {

struct GenOptions {
  std::size_t services = 1000;
  std::size_t max_deps = 3;  // each service depends on 0..max_deps earlier ones
  std::uint32_t seed = 42;   // the same options give the same text
};

struct Generated {
  std::string text;  // a compose.yaml; services are named "svc-00000", "svc-00001", ...
  std::map<std::string, std::vector<std::string>> depends_on;  // what the text declares
};

Generated generate_project(const GenOptions& opts);

}  // namespace qpod::bench
