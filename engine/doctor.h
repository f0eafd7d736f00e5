#pragma once
// `qpod doctor`: can this machine run projects? Each check says OK or FAIL, and how to fix it.
#include <string>
#include <vector>

#include "podman/containers_conf.h"
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

std::vector<Check> doctor(podman::Runtime& rt, const podman::ContainersConf& conf);

}  // namespace qpod::engine
