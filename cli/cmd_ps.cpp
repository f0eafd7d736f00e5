// qpod ps: the project's containers, found by label.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "engine/observe.h"
#include "engine/podman_argv.h"
#include "engine/podman_cli.h"
#include "engine/text.h"

namespace qpod::cli {
namespace {

struct PsOptions {
  bool all = false, quiet = false, services = false;
  std::string format = "table";
  std::vector<std::string> filter_services;
  std::vector<std::string> status;  // container states; any state (as with -a) when set
};

std::string ago(std::int64_t unix_s) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto d = std::max<std::int64_t>(0, now - unix_s);
  if (d < 60) return std::to_string(d) + " seconds ago";
  if (d < 3600) return std::to_string(d / 60) + " minutes ago";
  if (d < 86400) return std::to_string(d / 3600) + " hours ago";
  return std::to_string(d / 86400) + " days ago";
}

std::string command_text(const std::vector<std::string>& cmd) {
  std::string s = engine::join(cmd, " ");
  return "\"" + (s.size() > 20 ? s.substr(0, 17) + "..." : s) + "\"";
}

void print_table(const std::vector<const engine::ObservedContainer*>& cs) {
  std::vector<std::vector<std::string>> rows{
      {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}};
  for (const auto* c : cs)
    rows.push_back({c->name, c->image, command_text(c->command), c->service, ago(c->created),
                    c->status, c->ports});
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += i + 1 == r.size() ? r[i] : r[i] + std::string(width[i] - r[i].size() + 3, ' ');
    std::cout << line << "\n";
  }
}

void print_json(const std::vector<const engine::ObservedContainer*>& cs,
                const std::string& project) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto* c : cs)
    out.push_back({{"ID", c->id},
                   {"Name", c->name},
                   {"Image", c->image},
                   {"Command", c->command},
                   {"Project", project},
                   {"Service", c->service},
                   {"State", c->state},
                   {"Status", c->status},
                   {"ExitCode", c->exit_code},
                   {"Created", c->created},
                   {"Ports", c->ports}});
  std::cout << out.dump() << "\n";
}

int run_ps(Context& ctx, const PsOptions& o) {
  auto project = project_or_name(ctx);
  if (!project) return 1;
  // One `podman ps` by label: ps needs the containers only, not the pod (observe asks both).
  engine::PodmanCli rt;
  engine::Argv argv = engine::ps_project(project->name);
  engine::RunResult r = rt.run(argv);
  if (!r.ok()) {
    std::cerr << engine::describe_failure(argv, r) << "\n";
    return 1;
  }
  auto containers = engine::parse_ps(r.out);
  if (!containers) {
    std::cerr << format(containers.errors());
    return 1;
  }
  std::vector<const engine::ObservedContainer*> shown;
  for (const auto& c : *containers) {
    if (!o.status.empty()) {
      if (std::find(o.status.begin(), o.status.end(), c.state) == o.status.end()) continue;
    } else if (!o.all && !c.running()) {
      continue;
    }
    if (!o.filter_services.empty() && std::find(o.filter_services.begin(), o.filter_services.end(),
                                                c.service) == o.filter_services.end())
      continue;
    shown.push_back(&c);
  }
  std::sort(shown.begin(), shown.end(), [](auto* a, auto* b) { return a->name < b->name; });
  if (o.quiet) {
    for (const auto* c : shown) std::cout << c->id << "\n";
  } else if (o.services) {
    for (const auto* c : shown) std::cout << c->service << "\n";
  } else if (o.format == "json") {
    print_json(shown, project->name);
  } else {
    print_table(shown);
  }
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
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&ctx, o] { ctx.exit_code = run_ps(ctx, *o); });
}

}  // namespace qpod::cli
