#include "podman/kube_argv.h"

namespace qpod::podman {

Argv kube_play(const std::string& file) { return {"kube", "play", "--", file}; }

Argv kube_down(const std::string& file) { return {"kube", "down", "--", file}; }

Argv secret_rm(const std::vector<std::string>& names) {
  Argv a{"secret", "rm", "--"};
  a.insert(a.end(), names.begin(), names.end());
  return a;
}

Argv volume_exists(const std::string& name) { return {"volume", "exists", "--", name}; }

Argv image_config(const std::string& image) { return {"image", "inspect", "--", image}; }

}  // namespace qpod::podman
