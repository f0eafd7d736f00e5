#include "engine/remote_files.h"

#include <vector>

#include "base/text.h"

namespace qpod::engine {
namespace {

// Whether the service uses a secret or config qpod copies to this machine (all but external
// ones, which podman keeps itself).
bool uses_local_file_object(const compose::Service& s, const compose::Project& p) {
  auto local = [](const std::vector<compose::FileReference>& refs,
                  const std::map<std::string, compose::FileObject>& objects) {
    for (const auto& ref : refs) {
      auto it = objects.find(ref.source);
      if (it != objects.end() && !it->second.external) return true;
    }
    return false;
  };
  return local(s.secrets, p.secrets) || local(s.configs, p.configs);
}

}  // namespace

std::optional<std::string> remote_files_warning(const compose::Project& p,
                                                const std::set<std::string>& services) {
  std::vector<std::string> binds, objects;
  for (const auto& name : services) {  // a set: in name order
    auto it = p.services.find(name);
    if (it == p.services.end()) continue;
    const compose::Service& s = it->second;
    for (const auto& m : s.volumes)
      if (m.type == "bind") {
        binds.push_back(name);
        break;
      }
    if (uses_local_file_object(s, p)) objects.push_back(name);
  }
  if (binds.empty() && objects.empty()) return std::nullopt;
  std::string what;
  if (!binds.empty()) what = "the bind mounts of " + join(binds, ", ");
  if (!objects.empty())
    what += (what.empty() ? "" : " and ") + std::string("the secret and config files of ") +
            join(objects, ", ");
  return "podman is remote: " + what +
         " are paths on this machine; the remote podman looks for them on its own";
}

}  // namespace qpod::engine
