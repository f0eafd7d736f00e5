#pragma once
// The labels qpod puts on everything it creates; observe, ps and down find objects by them.
// The docker compose keys are set too, so tools that know those find qpod's containers.
#include <string_view>

namespace qpod::podman::labels {

inline constexpr const char* kProject = "io.qpod.project";
inline constexpr const char* kService = "io.qpod.service";
inline constexpr const char* kConfigHash = "io.qpod.config-hash";
// A hash of the variables provider services handed the container (podman_argv's provided_hash).
inline constexpr const char* kProvidedHash = "io.qpod.provided-hash";
inline constexpr const char* kVersion = "io.qpod.version";
inline constexpr const char* kWorkingDir = "io.qpod.working-dir";
inline constexpr const char* kConfigFiles = "io.qpod.config-files";
inline constexpr const char* kOneoff = "io.qpod.oneoff";
inline constexpr const char* kPorts = "io.qpod.ports";      // the service's ports (port_label.h)
inline constexpr const char* kVolume = "io.qpod.volume";    // the volume's key in the project
inline constexpr const char* kNetwork = "io.qpod.network";  // the network's key in the project

inline constexpr const char* kComposeProject = "com.docker.compose.project";
inline constexpr const char* kComposeService = "com.docker.compose.service";
inline constexpr const char* kComposeOneoff = "com.docker.compose.oneoff";
inline constexpr const char* kComposeNumber = "com.docker.compose.container-number";

// What qpod made carries both its service and config-hash labels, set: the one test of observe
// (up, down...), logs and ps. Someone else's container may carry the project label alone.
inline bool has_qpod_labels(std::string_view service, std::string_view config_hash) {
  return !service.empty() && !config_hash.empty();
}

}  // namespace qpod::podman::labels
