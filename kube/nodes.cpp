// Small builders of the YAML node trees that pod and cluster mode share (kube/nodes.h).
#include "kube/nodes.h"

#include <algorithm>

namespace qpod::kube {

using compose::Node;

// RFC 1123 subdomain (PVC, Secret, ConfigMap, Pod names): [a-z0-9.-], at most 253.
std::string dns_subdomain(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    out += ok ? c : '-';
  }
  while (!out.empty() && (out.front() == '-' || out.front() == '.')) out.erase(0, 1);
  if (out.size() > 253) out.resize(253);
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  return out.empty() ? "x" : out;
}

Node str(const std::string& s) { return Node::string(s); }

Node string_list(const std::vector<std::string>& v) {
  Node seq = Node::sequence();
  for (const auto& s : v) seq.push_back(str(s));
  return seq;
}

// A Kubernetes object: apiVersion, kind, metadata (name, and labels when given).
Node object(const std::string& api_version, const std::string& kind, const std::string& name,
            const Node* labels) {
  Node meta = Node::mapping();
  meta.set("name", str(name));
  if (labels) meta.set("labels", *labels);
  Node doc = Node::mapping();
  doc.set("apiVersion", str(api_version));
  doc.set("kind", str(kind));
  doc.set("metadata", std::move(meta));
  return doc;
}

// metadata.annotations from a sorted map (its keys are unique: no lookup per key).
Node annotations_node(const std::map<std::string, std::string>& annotations) {
  Node ann = Node::mapping();
  for (const auto& [k, v] : annotations) ann.items.push_back(str(v)), ann.keys.push_back({k, {}});
  return ann;
}

std::int64_t ceil_seconds(compose::Duration d) {
  const auto ns = d.count();
  return ns <= 0 ? 0 : (ns + 999'999'999) / 1'000'000'000;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace qpod::kube
