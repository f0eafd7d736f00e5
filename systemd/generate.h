#pragma once
// `qpod systemd generate`: the loaded project as systemd units, for a stack that comes back
// after a reboot (podman 4.3 has no quadlet). Pure: the model in, files as strings out.
//   pod-P.service             networks and volumes, then the pod, with up's `pod create` argv
//   container-NAME.service    one per container, with up's `podman run` argv; BindsTo the pod,
//                             Requires/After the containers of its depends_on
// The units are `podman generate systemd --new` style (--replace, --cidfile, --rm,
// Type=notify with --sdnotify=conmon): podman restarts nothing, systemd does (Restart=).
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "graph/service_graph.h"
#include "podman/host_facts.h"

namespace qpod::systemd {

struct SystemdOptions {
  std::vector<std::string> services;       // these and their dependencies; empty = what `up` starts
  std::string podman = "/usr/bin/podman";  // ExecStart's program: an absolute path
  // Whose units: rootless, a secret's uid/gid is set by `podman unshare chown` (as up does).
  bool rootless = false;
  podman::HostFacts host;  // the machine the units run on (taken as this one): GPU CDI spec
};

struct UnitFile {
  std::string name;  // "pod-P.service"
  std::string text;
};

struct Units {
  std::vector<UnitFile> files;        // the pod's first, then the containers in start order
  std::vector<std::string> warnings;  // what the units do not do as `up` does
};

std::string pod_unit(const compose::Project& p);  // "pod-P.service"
std::string container_unit(const compose::Project& p, const compose::Service& s, int number);

// A secret or config from a `file:` is copied at each start (ExecStartPre, /usr/bin/install)
// to the private file up mounts (podman::host_file_path), with its mode, uid and gid: the unit
// names the source file, never holds its value.
// Errors: a secret from `environment:` or a config from `content:` (the value would have to be
// in the unit), a value with a NUL byte, replicas that cannot share the pod.
Result<Units> generate(const compose::Project& p, const graph::ServiceGraph& g,
                       const SystemdOptions& o);

}  // namespace qpod::systemd
