#pragma once
// `qpod doctor`: can this machine run projects? Each check says OK or FAIL, and how to fix it.
#include <string>
#include <vector>

#include "podman/runtime.h"

namespace qpod::engine {

inline constexpr const char* kTestImage = "localhost/qpod-busybox:latest";

struct Check {
  enum class Status { Ok, Fail, Skip };
  std::string name;
  Status status = Status::Ok;
  std::string detail;  // what was found
  std::string fix;     // the exact fix, for failures
};

struct ContainersConf {
  std::string runtime;                       // [engine] runtime
  std::vector<std::string> default_ulimits;  // [containers] default_ulimits
};

// The effective settings of these containers.conf texts (later files win), read the simple way:
// [section] headers and `key = value` lines.
ContainersConf parse_containers_conf(const std::vector<std::string>& texts);
// The files podman reads: $CONTAINERS_CONF alone, or /usr/share, /etc (and .d), the user's.
std::vector<std::string> containers_conf_files();

std::vector<Check> doctor(Runtime& rt, const ContainersConf& conf);

}  // namespace qpod::engine
