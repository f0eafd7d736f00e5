#include "compose/bind.h"

namespace qpod::compose {

// STUB: replaced by the full binding.
Result<Service> bind_service(const std::string& name, const Node& service) {
  Service s;
  s.name = name;
  s.node = service;
  if (const Node* image = service.find("image"); image && image->is_scalar()) s.image = image->scalar;
  return s;
}

Diagnostics bind_project(const Node& root, const Node&, Project& project) {
  Diagnostics errors;
  project.node = root;
  if (const Node* services = root.find("services"); services && services->is_mapping()) {
    for (std::size_t i = 0; i < services->keys.size(); ++i) {
      auto s = bind_service(services->keys[i].name, services->items[i]);
      if (!s) {
        for (const auto& e : s.errors()) errors.push_back(e);
        continue;
      }
      project.services.emplace(s->name, std::move(s).value());
    }
  }
  return errors;
}

std::string service_hash(const Service&) { return ""; }

}  // namespace qpod::compose
