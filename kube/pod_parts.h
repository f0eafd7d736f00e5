#pragma once
// The pod generator's pieces (kube/pod.cpp) as cluster mode (kube/cluster.cpp) uses them: each
// Deployment's Pod template gets its container, volumes and annotations from the same code.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kube/generate.h"

namespace qpod::kube {

struct PodBuilder;

class PodParts {
 public:
  PodParts(const compose::Project& p, const graph::ServiceGraph& g, const FileData& files,
           const KubeOptions& opts);
  ~PodParts();
  void reset_pod();                                    // the next service's Pod template
  compose::Node container(const compose::Service& s);  // with a readinessProbe, no ports
  void warn(const std::string& service, const std::string& text);
  compose::Node& volumes();  // the current Pod template's
  std::map<std::string, std::string>& annotations();
  void annotate(const compose::Service& s, const compose::StringMap& values, const char* what);
  std::vector<compose::Node>& documents();  // PVCs, Secrets, ConfigMaps
  Manifest& out();

 private:
  std::unique_ptr<PodBuilder> b_;
};

// Cluster mode (kube/cluster.cpp), for the selected services.
Result<Manifest> generate_cluster(const compose::Project& p, const graph::ServiceGraph& g,
                                  const FileData& files, const KubeOptions& opts,
                                  const std::set<std::string>& selected);

}  // namespace qpod::kube
