#pragma once
// `qpod kube generate`: the loaded project as Kubernetes manifests, a pure function of the model.
// Pod mode: one Pod named as qpod's pod, one container per service, and beside it the
// PersistentVolumeClaims, Secrets and ConfigMaps it uses (separate YAML documents).
// Every service key that has no Kubernetes form is named in `warnings`, never dropped silently
// (docs/KUBE-KEYS.md lists the mapping).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "graph/service_graph.h"

namespace qpod::kube {

struct KubeOptions {
  std::string mode = "pod";           // pod | cluster
  std::vector<std::string> services;  // empty: all; else these and what they depend on
  std::set<std::string> skip_claims;  // PVC names whose documents are left out (they exist)
  std::string wait_image;  // cluster: the service_healthy wait image (see cluster_detail.h)
};

// An image's own Entrypoint and Cmd (podman image inspect, kube/images.h).
struct ImageArgv {
  std::vector<std::string> entrypoint, cmd;
};

// The bytes of each top-level secret and config a selected service uses (read by
// read_file_objects, kube/files.h), and the argv of the images whose services take part in
// depends_on (read_image_argv, kube/images.h): the generator itself reads nothing.
struct FileData {
  std::map<std::string, std::string> secrets, configs;  // key → content
  std::map<std::string, ImageArgv> images;              // image reference → its argv
};

struct Manifest {
  std::string yaml;                   // the documents, "---" between them
  std::string pod;                    // the Pod's name
  std::vector<std::string> claims;    // PVC names (podman: volumes of these names)
  std::vector<std::string> secrets;   // Secret names (podman: secrets and volumes)
  std::vector<std::string> configs;   // ConfigMap names (podman: volumes)
  std::vector<std::string> warnings;  // "service web: ulimits has no Kubernetes form..."
};

// A name as Kubernetes takes it (RFC 1123 label: [a-z0-9-], at most 63, alphanumeric ends).
std::string dns_label(const std::string& name);

Result<Manifest> generate(const compose::Project& p, const graph::ServiceGraph& g,
                          const FileData& files, const KubeOptions& opts);

}  // namespace qpod::kube
