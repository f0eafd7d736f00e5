#pragma once
// Small builders of the YAML node trees that pod and cluster mode share.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compose/model.h"

namespace qpod::kube {

// RFC 1123 subdomain (PVC, Secret, ConfigMap, Pod names): [a-z0-9.-], at most 253.
std::string dns_subdomain(const std::string& name);
compose::Node str(const std::string& s);
compose::Node string_list(const std::vector<std::string>& v);
// A Kubernetes object: apiVersion, kind, metadata (name, and labels when given).
compose::Node object(const std::string& api_version, const std::string& kind,
                     const std::string& name, const compose::Node* labels = nullptr);
// metadata.annotations from a sorted map (its keys are unique: no lookup per key).
compose::Node annotations_node(const std::map<std::string, std::string>& annotations);
std::int64_t ceil_seconds(compose::Duration d);
bool all_digits(const std::string& s);  // 1 to 9 decimal digits

}  // namespace qpod::kube
