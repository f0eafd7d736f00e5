#pragma once
// The podman argv of `qpod kube play` / `qpod kube down` (next to podman_argv.h, which holds the
// rest): the YAML is a file qpod wrote, named after "--" so no name is read as a flag.
#include <string>
#include <vector>

#include "podman/podman_argv.h"

namespace qpod::podman {

Argv kube_play(const std::string& file);  // kube play -- FILE
Argv kube_down(const std::string& file);  // kube down -- FILE
Argv secret_rm(const std::vector<std::string>& names);
Argv volume_exists(const std::string& name);  // exit 0 when it exists, 1 when not
Argv image_config(const std::string& image);  // image inspect -- IMAGE: a JSON array

}  // namespace qpod::podman
