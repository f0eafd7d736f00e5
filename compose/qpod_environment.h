#pragma once
// What every container of a QPOD environment gets, the environment's commands and its services
// alike: the git work tree at its own path and at /qpod, the template's mounts, its env.
#include <vector>

#include "compose/model.h"

namespace qpod::compose {

// The git root at its own path and at /qpod, then the template's mounts (target empty: the
// source's path), as bind mounts. Empty when the environment has no git root.
std::vector<Mount> environment_mounts(const QpodEnvironment& env);

// Every service of a QPOD environment (active and disabled) gets environment_mounts, except a
// mount whose target the service mounts itself, and the template's env, except a variable the
// service sets itself. Added to the model and to Service::node, so service_hash sees them (a
// changed template mount recreates the services); project.node, which `config` prints, keeps
// the file's own text. Nothing without x-qpod or a git root.
void run_services_in_environment(Project& project);

}  // namespace qpod::compose
