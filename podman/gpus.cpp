#include "podman/gpus.h"

#include <filesystem>

#include "compose/parse.h"
#include "compose/paths.h"

namespace qpod::podman {
namespace {

using compose::Node;

std::string text_of(const Node* n) { return n && n->is_scalar() ? n->scalar : ""; }

}  // namespace

bool cdi_kind_present(const std::vector<std::string>& dirs, const std::string& kind) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      auto ext = it->path().extension().string();
      if (ext != ".json" && ext != ".yaml" && ext != ".yml") continue;
      // Read as the loader reads its own files: a regular file within its size limit.
      auto text = compose::read_input_file(it->path().string(), "CDI spec");
      if (!text) continue;
      auto spec = compose::parse_yaml(*text, it->path().string());  // JSON is YAML too
      if (spec && spec->is_mapping() && text_of(spec->find("kind")) == kind) return true;
    }
  }
  return false;
}

bool host_has_gpu_cdi() {
  static const bool present = cdi_kind_present({"/etc/cdi", "/var/run/cdi"}, kGpuCdiKind);
  return present;
}

bool wants_gpus(const compose::Service& s) {
  const Node* g = s.node.find("gpus");
  return g && ((g->is_scalar() && g->scalar == "all") || (g->is_sequence() && g->size() > 0));
}

std::vector<std::string> gpu_cdi_devices(const compose::Service& s) {
  const std::string all = std::string(kGpuCdiKind) + "=all";
  const Node* g = s.node.find("gpus");
  if (!wants_gpus(s)) return {};
  if (g->is_scalar()) return {all};
  std::vector<std::string> out;
  for (const Node& device : g->items) {
    if (!device.is_mapping()) continue;
    const Node* ids = device.find("device_ids");
    if (ids && ids->is_sequence() && ids->size() > 0) {
      for (const Node& id : ids->items)
        if (id.is_scalar()) out.push_back(std::string(kGpuCdiKind) + "=" + id.scalar);
      continue;
    }
    // count: a number of GPUs (the first ones, as the nvidia runtime picks them), or all / -1.
    std::string count = text_of(device.find("count"));
    auto n = Node::plain(count).as_int();
    if (count.empty() || count == "all" || !n || *n < 0) return {all};
    for (long long i = 0; i < *n && i < 64; ++i)
      out.push_back(std::string(kGpuCdiKind) + "=" + std::to_string(i));
  }
  return out;
}

}  // namespace qpod::podman
