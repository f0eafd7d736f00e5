#include "env/input.h"

#include <filesystem>

#include "compose/discover.h"
#include "compose/template.h"
#include "env/git_root.h"

namespace fs = std::filesystem;

namespace qpod::env {

void prepare_load(compose::LoadOptions& opts) {
  std::error_code ec;
  const fs::path cwd =
      opts.working_dir.empty() ? fs::current_path(ec) : fs::absolute(opts.working_dir, ec);
  auto root = find_git_root(cwd.string());
  if (!root) return;
  opts.git_root = *root;
  if (!opts.files.empty() || !opts.template_file.empty()) return;
  auto tmpl = compose::find_template(*root);
  if (!tmpl) return;
  compose::Variables env = opts.process_env ? *opts.process_env : compose::process_environment();
  if (auto it = env.find("COMPOSE_FILE"); it != env.end() && !it->second.empty()) return;
  if (auto found = compose::discover(opts); found && is_inside(found->files[0], *root)) return;
  opts.template_file = *tmpl;
  if (opts.default_name.empty()) opts.default_name = pod_name(*root);
}

std::optional<std::string> find_named_template(const std::string& name,
                                               const compose::Variables& env) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    return std::nullopt;
  fs::path config;
  if (auto it = env.find("XDG_CONFIG_HOME"); it != env.end() && !it->second.empty())
    config = it->second;
  else if (auto home = env.find("HOME"); home != env.end() && !home->second.empty())
    config = fs::path(home->second) / ".config";
  else
    return std::nullopt;
  for (const char* ext : {".json", ".yaml", ".yml"}) {
    const fs::path p = config / "qpod" / "templates" / (name + ext);
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

}  // namespace qpod::env
