#include "compose/discover.h"

#include <filesystem>

#include "compose/loader.h"

namespace fs = std::filesystem;

namespace qpod::compose {

// STUB: replaced by full discovery (COMPOSE_FILE, override files, parents).
Result<Discovered> discover(const LoadOptions& opts) {
  Discovered d;
  fs::path cwd = opts.working_dir.empty() ? fs::current_path() : fs::path(opts.working_dir);
  for (const auto& f : opts.files) d.files.push_back(fs::absolute(cwd / f).lexically_normal());
  if (d.files.empty()) {
    for (const char* name : {"compose.yaml", "compose.yml", "docker-compose.yaml",
                             "docker-compose.yml"}) {
      if (fs::exists(cwd / name)) {
        d.files.push_back((cwd / name).string());
        break;
      }
    }
  }
  if (d.files.empty())
    return Diagnostic{"", 0, 0, "", "no compose file found in " + cwd.string(), false};
  d.project_dir = opts.project_directory.empty()
                      ? fs::path(d.files[0]).parent_path().string()
                      : fs::absolute(cwd / opts.project_directory).lexically_normal().string();
  d.env = opts.process_env ? *opts.process_env : process_environment();
  return d;
}

std::string normalize_project_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-') out += l;
  }
  while (!out.empty() && (out[0] == '_' || out[0] == '-')) out.erase(0, 1);
  return out;
}

}  // namespace qpod::compose
