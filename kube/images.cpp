#include "kube/images.h"

#include <nlohmann/json.hpp>

#include "podman/kube_argv.h"

namespace qpod::kube {
namespace {

Diagnostic error(std::string message) {
  Diagnostic d;
  d.message = std::move(message);
  return d;
}

// A JSON array of strings, or null (podman writes null or leaves the key out when unset).
bool strings(const nlohmann::json& config, const char* key, std::vector<std::string>& out) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return true;
  if (!it->is_array()) return false;
  for (const auto& v : *it) {
    if (!v.is_string()) return false;
    out.push_back(v.get<std::string>());
  }
  return true;
}

}  // namespace

Result<ImageArgv> parse_image_argv(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.size() != 1 || !j[0].is_object())
    return error("podman image inspect: expected a JSON array of one image");
  ImageArgv out;
  auto config = j[0].find("Config");
  if (config == j[0].end() || config->is_null()) return out;
  if (!config->is_object() || !strings(*config, "Entrypoint", out.entrypoint) ||
      !strings(*config, "Cmd", out.cmd))
    return error("podman image inspect: Config.Entrypoint and Cmd must be lists of strings");
  return out;
}

std::map<std::string, ImageArgv> read_image_argv(const compose::Project& p,
                                                 const std::set<std::string>& services,
                                                 podman::Runtime& rt) {
  std::set<std::string> involved;  // services with a dependency or a dependant among `services`
  for (const auto& name : services) {
    auto it = p.services.find(name);
    if (it == p.services.end()) continue;
    for (const auto& [dep, d] : it->second.depends_on) {
      if (!services.count(dep)) continue;
      involved.insert(name);
      involved.insert(dep);
    }
  }
  std::map<std::string, ImageArgv> out;
  for (const auto& name : involved) {
    const auto& s = p.services.at(name);
    if (s.entrypoint) continue;
    const std::string image = podman::image_of(p, s);
    if (out.count(image)) continue;
    const auto r = rt.run(podman::image_config(image));
    if (!r.ok()) continue;
    if (auto argv = parse_image_argv(r.out); argv) out[image] = std::move(*argv);
  }
  return out;
}

}  // namespace qpod::kube
