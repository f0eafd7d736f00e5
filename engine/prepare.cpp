#include "engine/prepare.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "engine/podman_argv.h"

namespace qpod::engine {
namespace {

namespace fs = std::filesystem;
using compose::FileObject;
using compose::FileReference;
using compose::Project;
using compose::Service;

// Writes `value` to `path` (mode `mode`) in a directory only the user can enter. Written in
// place, so a running container's bind mount sees the new content.
std::string write_private(const fs::path& path, const std::string& value, std::uint32_t mode) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return "cannot create " + path.parent_path().string() + ": " + ec.message();
  for (fs::path d = path.parent_path(); d.string().size() > 1; d = d.parent_path()) {
    ::chmod(d.c_str(), 0700);
    if (d.filename() == "qpod" || d.filename().string().rfind("qpod-", 0) == 0) break;
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + path.string();
    out << value;
  }
  if (::chmod(path.c_str(), mode) != 0) return "cannot set the mode of " + path.string();
  return {};
}

void file_objects(const Project& p, const Service& s, bool secret,
                  std::vector<std::string>& errors) {
  const auto& refs = secret ? s.secrets : s.configs;
  const auto& objects = secret ? p.secrets : p.configs;
  const char* kind = secret ? "secret" : "config";
  for (const FileReference& ref : refs) {
    auto it = objects.find(ref.source);
    if (it == objects.end()) continue;
    const FileObject& o = it->second;
    std::string what = "service " + s.name + ": " + kind + " " + ref.source;
    if (o.external) continue;
    if (!o.file.empty()) {
      if (!fs::exists(o.file)) errors.push_back(what + ": file " + o.file + " does not exist");
      continue;
    }
    std::string value;
    if (!o.environment.empty()) {
      const char* v = std::getenv(o.environment.c_str());
      if (!v) {
        errors.push_back(what + ": environment variable " + o.environment + " is not set");
        continue;
      }
      value = v;
    } else if (!secret && !o.content.empty()) {
      value = o.content;
    } else {
      continue;
    }
    std::string e =
        write_private(host_file_path(p, s, secret, ref.source), value, ref.mode.value_or(0444));
    if (!e.empty()) errors.push_back(what + ": " + e);
  }
}

}  // namespace

std::vector<std::string> prepare_host(const Project& p, const Plan& plan) {
  std::vector<std::string> errors;
  std::set<std::string> created;
  for (const auto& a : plan.actions)
    if ((a.kind == ActionKind::Run || a.kind == ActionKind::CreateContainer) &&
        p.services.count(a.service))
      created.insert(a.service);
  for (const auto& name : created) {
    const Service& s = p.services.at(name);
    for (const auto& m : s.volumes) {
      if (m.type != "bind" || m.source.empty() || fs::exists(m.source)) continue;
      if (!m.bind_create_host_path) {
        errors.push_back("service " + name + ": bind mount source " + m.source +
                         " does not exist (create_host_path: false)");
        continue;
      }
      std::error_code ec;
      fs::create_directories(m.source, ec);
      if (ec)
        errors.push_back("service " + name + ": cannot create bind mount source " + m.source +
                         ": " + ec.message());
    }
    file_objects(p, s, true, errors);
    file_objects(p, s, false, errors);
  }
  return errors;
}

}  // namespace qpod::engine
