#pragma once
// containers.conf, the simple way: what qpod needs of the files podman reads (the OCI runtime
// for `qpod doctor`, default_ulimits for the --ulimit flags of a container).
#include <string>
#include <vector>

namespace qpod::podman {

struct ContainersConf {
  std::string runtime;                       // [engine] runtime
  std::vector<std::string> default_ulimits;  // [containers] default_ulimits
};

// The effective settings of these containers.conf texts (later files win), read the simple way:
// [section] headers and `key = value` lines.
ContainersConf parse_containers_conf(const std::vector<std::string>& texts);
// The files podman reads: $CONTAINERS_CONF alone, or /usr/share, /etc (and .d), the user's.
std::vector<std::string> containers_conf_files();

}  // namespace qpod::podman
