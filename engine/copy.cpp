#include "engine/copy.h"

#include "engine/service_containers.h"
#include "podman/command_argv.h"

namespace qpod::engine {
namespace {

Diagnostic error(const std::string& message) { return Diagnostic{"", 0, 0, "", message, false}; }

}  // namespace

CopyEnd parse_copy_arg(const std::string& arg) {
  if (arg.starts_with("/")) return {"", arg};
  const auto colon = arg.find(':');
  if (colon == std::string::npos || arg.starts_with(".")) return {"", arg};
  return {arg.substr(0, colon), arg.substr(colon + 1)};
}

Result<std::string> copy_service(const CopyOptions& o) {
  if (o.source.empty()) return error("source can not be empty");
  if (o.destination.empty()) return error("destination can not be empty");
  const CopyEnd src = parse_copy_arg(o.source), dest = parse_copy_arg(o.destination);
  if (!src.service.empty() && !dest.service.empty())
    return error("copying between services is not supported");
  if (src.service.empty() && dest.service.empty())
    return error(
        "one side must be a service: SERVICE:SRC_PATH DEST_PATH or SRC_PATH "
        "SERVICE:DEST_PATH");
  return src.service.empty() ? dest.service : src.service;
}

Result<std::vector<podman::Argv>> plan_copy(const compose::Project& p, const Observed& obs,
                                            const CopyOptions& o) {
  auto service = copy_service(o);
  if (!service) return service.errors();
  const CopyEnd src = parse_copy_arg(o.source), dest = parse_copy_arg(o.destination);
  const bool from_service = !src.service.empty();
  auto containers = select_containers(p, obs, {*service, o.index, o.all, false});
  if (!containers) return containers.errors();
  std::vector<podman::Argv> out;
  for (const ObservedContainer* c : *containers) {
    if (from_service) {
      out.push_back(podman::container_copy(c->name + ":" + src.path, dest.path, o.keep_owner));
      break;  // out of the first one only
    }
    out.push_back(podman::container_copy(src.path, c->name + ":" + dest.path, o.keep_owner));
  }
  return out;
}

}  // namespace qpod::engine
