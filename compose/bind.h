#pragma once
// Stage 9: the normalized tree into the typed model.
#include "base/result.h"
#include "compose/model.h"

namespace qpod::compose {

Result<Service> bind_service(const std::string& name, const Node& service);
// Fills services, networks, volumes, secrets, configs, extensions and node of `project`; `root`
// becomes project.node (by value: the loader moves its tree in rather than copying it).
Diagnostics bind_project(Node root, const Node& disabled, Project& project);

// The QPOD dialect (bind_qpod.cpp): Project::qpod from the top-level x-qpod, Service::qpod from
// each service's x-qpod, Service::develop_watch from develop.watch; binaries' services checked.
Diagnostics bind_qpod(Project& project);

// The image of the QPOD environment's container: x-qpod.image, else the first x-qpod.build tag,
// else "localhost/<project>-env" (what x-qpod.build builds). "" without x-qpod.
std::string environment_image(const Project& project);

// A stable hash of a service's configuration (hex), for deciding what to recreate.
std::string service_hash(const Service& service);

}  // namespace qpod::compose
