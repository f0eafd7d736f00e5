#pragma once
// Pieces of the pod generator, apart so that tests can reach them.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "graph/service_graph.h"

namespace qpod::kube {

std::string base64(const std::string& bytes);
// Compose restart → a Pod restartPolicy (Always, OnFailure, Never), and its strength.
std::string pod_restart_policy(const std::string& compose_restart);
int restart_rank(const std::string& policy);  // Always 2 > OnFailure 1 > Never 0
// The selected services that become initContainers, in start order: each is waited for with
// service_completed_successfully by every selected dependant, and needs only init containers.
std::vector<std::string> init_services(const compose::Project& p, const graph::ServiceGraph& g,
                                       const std::set<std::string>& selected);
compose::Node probe(const compose::Healthcheck& h);  // exec probe, seconds rounded up
// Calls `warn` once for each key of the service (from its normalized node) that the generator
// has no Kubernetes form for, or maps only in part (cluster: replicas and scale are mapped).
void warn_unmapped(const compose::Service& s, bool cluster,
                   const std::function<void(const std::string&)>& warn);

}  // namespace qpod::kube
