#include "engine/kube_argv.h"

namespace qpod::engine {

podman::Argv kube_play(const std::string& file) { return {"kube", "play", "--", file}; }

podman::Argv kube_down(const std::string& file) { return {"kube", "down", "--", file}; }

podman::Argv secret_rm(const std::vector<std::string>& names) {
  podman::Argv a{"secret", "rm", "--"};
  a.insert(a.end(), names.begin(), names.end());
  return a;
}

podman::Argv volume_exists(const std::string& name) { return {"volume", "exists", "--", name}; }

podman::Argv image_config(const std::string& image) { return {"image", "inspect", "--", image}; }

}  // namespace qpod::engine
