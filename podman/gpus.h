#pragma once
// Compose's `gpus` as podman CDI devices: `--device nvidia.com/gpu=all` (or =ID per device),
// where a CDI spec for nvidia.com/gpu exists (nvidia-ctk cdi generate writes one to /etc/cdi or
// /var/run/cdi). Without one, `gpus` stays a warning.
#include <string>
#include <vector>

#include "compose/model.h"

namespace qpod::podman {

inline constexpr const char* kGpuCdiKind = "nvidia.com/gpu";

// Whether a CDI spec (*.json, *.yaml, *.yml) in one of `dirs` declares `kind`.
bool cdi_kind_present(const std::vector<std::string>& dirs, const std::string& kind);
// cdi_kind_present({"/etc/cdi", "/var/run/cdi"}, kGpuCdiKind), looked up once per process.
bool host_has_gpu_cdi();

// Whether `s` asks for GPUs (`gpus: all` or a list of devices).
bool wants_gpus(const compose::Service& s);
// The CDI device names for `s`'s `gpus`: "nvidia.com/gpu=all", or one per device_ids entry,
// or the first `count` indices. Empty when it asks for none.
std::vector<std::string> gpu_cdi_devices(const compose::Service& s);

}  // namespace qpod::podman
