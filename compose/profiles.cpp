#include "compose/profiles.h"

#include <algorithm>

namespace qpod::compose {
namespace {

bool selected(const std::vector<std::string>& profiles, const std::string& name) {
  return std::find(profiles.begin(), profiles.end(), name) != profiles.end();
}

// A service without profiles (or with an empty list) is always active; one with profiles is
// active when one of them is selected, or when "*" is.
bool active(const Node& service_profiles, const std::vector<std::string>& profiles) {
  if (service_profiles.items.empty() || selected(profiles, "*")) return true;
  return std::any_of(service_profiles.items.begin(), service_profiles.items.end(),
                     [&](const Node& p) { return p.is_scalar() && selected(profiles, p.scalar); });
}

}  // namespace

// Dependencies are not followed here. When an active service depends on a service whose
// profiles are not selected, that service stays disabled, as in docker compose: validation
// (which gets `disabled`) reports the dependency, unless it is `required: false`. Enabling a
// targeted service's dependencies (`up web`) is the engine's job, not the loader's.
Diagnostics apply_profiles(Node& root, const std::vector<std::string>& profiles, Node& disabled) {
  Diagnostics errors;
  Node* services = root.find("services");
  if (!services || !services->is_mapping()) return errors;
  if (!disabled.is_mapping()) disabled = Node::mapping();
  Node kept = Node::mapping(services->mark);
  kept.tag = services->tag;
  for (std::size_t i = 0; i < services->keys.size(); ++i) {
    Key& key = services->keys[i];
    Node& service = services->items[i];
    const Node* own = service.is_mapping() ? service.find("profiles") : nullptr;
    const std::string path = child_path(child_path("services", key.name), "profiles");
    if (own && !own->is_sequence() && !own->is_null()) {
      errors.push_back(
          error_at(*own, path, "expected a list of profile names, not " + describe(*own)));
      kept.keys.push_back(std::move(key));
      kept.items.push_back(std::move(service));
      continue;
    }
    Node& to = !own || active(*own, profiles) ? kept : disabled;
    to.keys.push_back(std::move(key));  // names are unique already: no set() (linear) needed
    to.items.push_back(std::move(service));
  }
  *services = std::move(kept);
  return errors;
}

}  // namespace qpod::compose
