#pragma once
// The effect pod_gates.h leaves out: the Entrypoint and Cmd of the images whose services take
// part in depends_on, read with `podman image inspect` where the image is here. A service with
// its own `entrypoint` needs none (Compose then drops the image's Cmd too). An image that is
// not here, or that podman cannot inspect, is simply absent: its services get a warning, not a
// wrapper.
#include <map>
#include <set>
#include <string>

#include "base/result.h"
#include "compose/model.h"
#include "kube/generate.h"
#include "podman/runtime.h"

namespace qpod::kube {

// `podman image inspect` output (a JSON array of one image) → its Config.Entrypoint and Cmd.
Result<ImageArgv> parse_image_argv(const std::string& json);

std::map<std::string, ImageArgv> read_image_argv(const compose::Project& p,
                                                 const std::set<std::string>& services,
                                                 podman::Runtime& rt);

}  // namespace qpod::kube
