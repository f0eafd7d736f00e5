#pragma once
// `qpod kube play` / `qpod kube down`: the generated YAML through `podman kube play/down`, from a
// private file (0600, in qpod's lock folder: a Secret's data is in it) removed afterwards.
// podman 4.3's `kube down` removes only the Pod: down also removes the volumes podman made for
// the ConfigMaps and Secrets and the podman secrets of the Secrets (copies of the project's
// files), and with `volumes` the PVCs' volumes (the data, as `qpod down -v`).
#include <iosfwd>
#include <string>

#include "kube/generate.h"
#include "podman/runtime.h"

namespace qpod::kube {

struct KubeRunOptions {
  bool volumes = false;  // down: also the PersistentVolumeClaims' volumes
};

// Writes `m.yaml` to a private file for `project`; its path, or an error text.
Result<std::string> write_private_yaml(const std::string& project, const std::string& yaml);

int play(const std::string& project, const Manifest& m, podman::Runtime& rt, std::ostream& err);
int down(const std::string& project, const Manifest& m, podman::Runtime& rt,
         const KubeRunOptions& o, std::ostream& err);

}  // namespace qpod::kube
