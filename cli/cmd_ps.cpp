// qpod ps: the project's containers, found by label.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>

#include "base/text.h"
#include "cli/context.h"
#include "cli/engine_cli.h"
#include "engine/ps.h"
#include "engine/ps_health.h"
#include "podman/labels.h"
#include "podman/podman_argv.h"
#include "podman/podman_cli.h"

namespace qpod::cli {
namespace {

struct PsOptions {
  bool all = false, quiet = false, services = false, no_trunc = false;
  std::string format = "table";
  std::vector<std::string> filter_services;
  std::vector<std::string> status;  // container states; any state (as with -a) when set
};

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The (target, protocol) pairs each service publishes on the pod.
std::map<std::string, engine::PortTargets> port_targets(const compose::Project& p) {
  std::map<std::string, engine::PortTargets> out;
  for (const auto* services : {&p.services, &p.disabled_services})
    for (const auto& [name, s] : *services)
      for (const auto& port : s.ports)
        out[name].insert({static_cast<int>(port.target), port.protocol});
  return out;
}

int run_ps(Context& ctx, const PsOptions& o) {
  auto project = project_or_name(ctx);
  if (!project) return 1;
  if (!project->services.empty())  // a project known by its name only: any service name goes
    for (const auto& s : o.filter_services)
      if (!project->services.count(s) && !project->disabled_services.count(s)) {
        std::cerr << no_such_service(*project, s) << "\n";
        return 1;
      }
  // One `podman ps` by label: ps needs the containers only, not the pod (observe asks both).
  podman::PodmanCli rt;
  podman::Argv argv = podman::ps_project(project->name);
  podman::RunResult r = rt.run(argv);
  if (!r.ok()) {
    std::cerr << podman::describe_failure(argv, r) << "\n";
    return 1;
  }
  auto rows = engine::parse_ps_rows(r.out);
  if (!rows) {
    std::cerr << format(rows.errors());
    return 1;
  }
  std::vector<engine::PsRow> shown;
  std::vector<std::string> foreign;
  for (auto& c : *rows) {
    // Only what qpod made (its service and config-hash labels): someone else's container with
    // the project label is not the project's, as up and down leave it alone.
    if (!podman::labels::has_qpod_labels(c.service, c.hash)) {
      foreign.push_back(c.name);
      continue;
    }
    if (!o.status.empty()) {
      if (std::find(o.status.begin(), o.status.end(), c.state) == o.status.end()) continue;
    } else if (!o.all && c.state != "running") {
      continue;
    }
    if (!o.filter_services.empty() && std::find(o.filter_services.begin(), o.filter_services.end(),
                                                c.service) == o.filter_services.end())
      continue;
    shown.push_back(std::move(c));
  }
  std::sort(shown.begin(), shown.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!foreign.empty() && !o.quiet)
    std::cerr << "warning: not shown, not created by qpod (the project label only): ["
              << join(foreign, ", ") << "]\n";
  if (o.quiet) {
    for (const auto& c : shown) std::cout << c.id << "\n";
    return 0;
  }
  if (o.services) {
    std::vector<std::string> seen;  // docker's: each service once
    for (const auto& c : shown)
      if (std::find(seen.begin(), seen.end(), c.service) == seen.end()) seen.push_back(c.service);
    for (const auto& s : seen) std::cout << s << "\n";
    return 0;
  }
  engine::keep_own_ports(shown, port_targets(*project));
  engine::refresh_health(rt, shown, now_s());
  if (o.format == "json")
    std::cout << engine::ps_json(shown, now_s(), !o.no_trunc);
  else
    std::cout << engine::ps_table(shown, now_s());
  return 0;
}

}  // namespace

void add_ps(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("ps", "List the project's containers");
  auto o = std::make_shared<PsOptions>();
  cmd->add_option("services", o->filter_services, "Only these services");
  cmd->add_flag("-a,--all", o->all, "Also stopped containers");
  cmd->add_flag("-q,--quiet", o->quiet, "Only IDs");
  cmd->add_flag("--services", o->services, "Only service names");
  cmd->add_option("--status", o->status, "Only containers in these states (repeatable)")
      ->check(CLI::IsMember(
          {"paused", "restarting", "removing", "running", "dead", "created", "exited"}))
      ->allow_extra_args(false);
  cmd->add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&ctx, o] { ctx.exit_code = run_ps(ctx, *o); });
}

}  // namespace qpod::cli
