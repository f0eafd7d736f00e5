#include "podman/host_facts.h"

#include <sys/resource.h>

#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "podman/containers_conf.h"
#include "podman/gpus.h"

namespace qpod::podman {

HostFacts read_host_facts() {
  std::vector<std::string> texts;
  for (const auto& file : containers_conf_files()) {
    std::ifstream in(file);
    if (in)
      texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::map<std::string, std::string> conf;
  for (const auto& u : parse_containers_conf(texts).default_ulimits)
    if (auto eq = u.find('='); eq != std::string::npos) conf[u.substr(0, eq)] = u;

  HostFacts limits;
  const std::pair<const char*, int> kinds[] = {{"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}};
  for (auto [name, resource] : kinds) {
    if (auto it = conf.find(name); it != conf.end()) {
      limits.default_ulimits[name] = it->second;
      continue;
    }
    struct rlimit lim {};
    if (::getrlimit(resource, &lim) != 0) continue;
    auto text = [](rlim_t v) { return v == RLIM_INFINITY ? std::string("-1") : std::to_string(v); };
    limits.default_ulimits[name] =
        std::string(name) + "=" + text(lim.rlim_cur) + ":" + text(lim.rlim_max);
  }
  limits.gpu_cdi = host_has_gpu_cdi();
  return limits;
}

}  // namespace qpod::podman
