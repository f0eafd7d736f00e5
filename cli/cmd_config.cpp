// qpod config: the resolved project as YAML or JSON, or parts of it.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "compose/bind.h"
#include "compose/emit.h"

namespace qpod::cli {
namespace {

struct ConfigOptions {
  std::string format = "yaml";
  bool services = false, volumes = false, profiles = false, images = false, hash_all = false;
  bool quiet = false, no_interpolate = false;
  std::string hash;
};

int run_config(Context& ctx, const ConfigOptions& o) {
  if (o.no_interpolate) ctx.load.interpolate = false;
  auto project = ctx.load_project();
  if (!project) return 1;
  if (o.quiet) return 0;
  if (o.services) {
    for (const auto& [name, s] : project->services) std::cout << name << "\n";
    return 0;
  }
  if (o.volumes) {
    for (const auto& [name, v] : project->volumes) std::cout << name << "\n";
    return 0;
  }
  if (o.profiles) {
    std::set<std::string> all;
    for (const auto* group : {&project->services, &project->disabled_services})
      for (const auto& [name, s] : *group) all.insert(s.profiles.begin(), s.profiles.end());
    for (const auto& p : all) std::cout << p << "\n";
    return 0;
  }
  if (o.images) {
    for (const auto& [name, s] : project->services)
      std::cout << (s.image.empty() ? project->name + "-" + name : s.image) << "\n";
    return 0;
  }
  if (!o.hash.empty()) {
    std::vector<std::string> wanted;
    if (o.hash == "*") {
      for (const auto& [name, s] : project->services) wanted.push_back(name);
    } else {
      std::string cur;
      for (char c : o.hash + ",") {
        if (c == ',') {
          if (!cur.empty()) wanted.push_back(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
    }
    for (const auto& name : wanted) {
      auto it = project->services.find(name);
      if (it == project->services.end()) {
        std::cerr << no_such_service(*project, name) << "\n";
        return 1;
      }
      std::cout << name << " " << compose::service_hash(it->second) << "\n";
    }
    return 0;
  }
  if (o.format == "json")
    std::cout << compose::to_json_text(project->node);
  else
    std::cout << compose::to_yaml(project->node);
  return 0;
}

}  // namespace

void add_config(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("config",
                                 "Print the resolved project (interpolated, merged, "
                                 "normalized)");
  auto o = std::make_shared<ConfigOptions>();
  cmd->add_option("--format", o->format, "yaml or json")->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_flag("--services", o->services, "Print the service names, one per line");
  cmd->add_flag("--volumes", o->volumes, "Print the volume names, one per line");
  cmd->add_flag("--profiles", o->profiles, "Print the profile names, one per line");
  cmd->add_flag("--images", o->images, "Print the image names, one per line");
  cmd->add_option("--hash", o->hash, "Print the configuration hash of these services (a,b or *)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only validate; print nothing");
  cmd->add_flag("--no-interpolate", o->no_interpolate, "Do not substitute ${VARIABLES}");
  cmd->callback([&ctx, o] { ctx.exit_code = run_config(ctx, *o); });
}

}  // namespace qpod::cli
