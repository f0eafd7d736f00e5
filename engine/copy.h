#pragma once
// qpod cp: files between a service's container and the host, as `docker compose cp`:
// SERVICE:SRC DEST copies out of the service's first container (or --index N); SRC SERVICE:DEST
// copies into each of its containers. Pure: the podman cp commands, which the caller runs with
// the terminal (a "-" side is a tar stream on stdin or stdout).
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "engine/observe.h"
#include "podman/podman_argv.h"

namespace qpod::engine {

struct CopyOptions {
  std::string source, destination;
  int index = 0;            // 0 = the first container (from), every container (to)
  bool all = false;         // `run` containers too
  bool keep_owner = false;  // -a: the files keep their uid/gid
};

// "web:/etc/hosts" -> {"web", "/etc/hosts"}; a host path -> {"", path}: an absolute one, one
// without ':' or one starting with '.' ("./a:b"), as docker compose reads them.
struct CopyEnd {
  std::string service, path;
};
CopyEnd parse_copy_arg(const std::string& arg);

// The services named in o (one side must be a service, not both).
Result<std::string> copy_service(const CopyOptions& o);

Result<std::vector<podman::Argv>> plan_copy(const compose::Project& p, const Observed& obs,
                                            const CopyOptions& o);

}  // namespace qpod::engine
