#include "cli/up_attach.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "engine/attach.h"
#include "graph/service_graph.h"

namespace qpod::cli {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Whose logs to show: --attach, else the services up names (with their dependencies when
// --attach-dependencies; else all), without --no-attach; --exit-code-from's service always (its
// exit is watched). Empty = all.
std::vector<std::string> attached(const UpAttachCli& a, const compose::Project& p) {
  std::vector<std::string> out = a.attach.empty() ? a.services : a.attach;
  if (a.attach.empty() && a.attach_dependencies && !a.services.empty())
    if (auto g = graph::ServiceGraph::build(p)) {
      const auto with_deps = g->select(a.services, true);
      out.assign(with_deps.begin(), with_deps.end());
    }
  if (out.empty() && !a.no_attach.empty())
    for (const auto& [name, _] : p.services) out.push_back(name);
  std::erase_if(out, [&](const std::string& s) { return contains(a.no_attach, s); });
  if (!out.empty() && !a.exit_code_from.empty() && !contains(out, a.exit_code_from))
    out.push_back(a.exit_code_from);
  return out;
}

}  // namespace

bool UpAttachCli::any() const {
  return abort_on_exit || abort_on_failure || !exit_code_from.empty() || !attach.empty() ||
         !no_attach.empty() || attach_dependencies;
}

void add_attach_flags(CLI::App* cmd, UpAttachCli& a) {
  cmd->add_flag("--abort-on-container-exit", a.abort_on_exit,
                "Stop all containers when one exits (exit code: that container's)");
  cmd->add_flag("--abort-on-container-failure", a.abort_on_failure,
                "Stop all containers when one exits with a non-zero code");
  cmd->add_option("--exit-code-from", a.exit_code_from,
                  "Exit with this service's exit code (implies --abort-on-container-exit)");
  cmd->add_option("--attach", a.attach, "Show the logs of these services only (repeatable)");
  cmd->add_option("--no-attach", a.no_attach, "Do not show these services' logs (repeatable)");
  cmd->add_flag("--attach-dependencies", a.attach_dependencies,
                "Show the logs of the named services' dependencies too");
  cmd->add_flag("--no-color", a.no_color, "Monochrome log output");
  cmd->add_flag("--no-log-prefix", a.no_prefix, "Do not print the container name before lines");
}

Status check_attach(const UpAttachCli& a, const compose::Project& p, bool detach) {
  auto refused = [](std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; };
  if (detach && a.any())
    return refused(
        "--abort-on-container-exit, --exit-code-from and --attach need an attached up "
        "(without -d)");
  if (a.abort_on_exit && a.abort_on_failure)
    return refused("--abort-on-container-exit and --abort-on-container-failure are incompatible");
  std::vector<std::string> named = a.attach;
  named.insert(named.end(), a.no_attach.begin(), a.no_attach.end());
  if (!a.exit_code_from.empty()) named.push_back(a.exit_code_from);
  for (const auto& s : named)
    if (!p.services.count(s)) return refused(no_such_service(p, s));
  return std::monostate{};
}

int attach_after_up(EngineSession& s, const UpAttachCli& a, const std::string& since) {
  s.progress.finish();
  engine::AttachOptions o;
  o.services = attached(a, s.project);
  o.stop_services = a.services;
  o.abort_on_exit = a.abort_on_exit;
  o.abort_on_failure = a.abort_on_failure;
  o.exit_code_from = a.exit_code_from;
  o.since = since;
  o.color = s.ansi && !a.no_color;
  o.prefix = !a.no_prefix;
  o.force = force_on_second_signal();
  o.stop_timeout_s = a.timeout_s;
  return engine::attach(s.project, s.rt, s.progress, o, s.run, s.out);
}

}  // namespace qpod::cli
