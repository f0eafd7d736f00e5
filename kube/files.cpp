#include "kube/files.h"

#include <cstdlib>

#include "compose/paths.h"

namespace qpod::kube {
namespace {

void read_refs(const std::map<std::string, compose::FileObject>& objects,
               const std::vector<compose::FileReference>& refs, const char* what,
               std::map<std::string, std::string>& out, Diagnostics& errors) {
  for (const auto& r : refs) {
    auto it = objects.find(r.source);
    if (it == objects.end() || it->second.external || out.count(r.source)) continue;
    const compose::FileObject& o = it->second;
    const std::string path = std::string(what) + "." + r.source;
    if (!o.file.empty()) {
      auto text = compose::read_input_file(o.file, std::string(what) + " file");
      if (!text) {
        for (auto e : text.errors()) {
          e.path = path;
          errors.push_back(std::move(e));
        }
        continue;
      }
      out[r.source] = std::move(*text);
    } else if (!o.environment.empty()) {
      const char* v = std::getenv(o.environment.c_str());
      if (!v) {
        Diagnostic d;
        d.path = path;
        d.message = "environment variable " + o.environment + " is not set";
        errors.push_back(std::move(d));
        continue;
      }
      out[r.source] = v;
    } else {
      out[r.source] = o.content;
    }
  }
}

}  // namespace

Result<FileData> read_file_objects(const compose::Project& p,
                                   const std::set<std::string>& services) {
  FileData data;
  Diagnostics errors;
  for (const auto& name : services) {
    auto it = p.services.find(name);
    if (it == p.services.end()) continue;
    read_refs(p.secrets, it->second.secrets, "secrets", data.secrets, errors);
    read_refs(p.configs, it->second.configs, "configs", data.configs, errors);
  }
  if (!errors.empty()) return errors;
  return data;
}

}  // namespace qpod::kube
