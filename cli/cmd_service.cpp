// qpod service list|start|stop|restart|logs: the QPOD dialect's words for the engine's own
// operations (up with a selection, stop, restart), not a second implementation.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "engine/interactive.h"
#include "engine/logs_follow.h"
#include "engine/observe.h"
#include "podman/podman_argv.h"
#include "podman/podman_cli.h"

namespace qpod::cli {
namespace {

// "8000" for the port's published side; the name in front is the port's own, else the
// service's: "web: 8000".
std::string ports_text(const compose::Service& s) {
  std::string out;
  for (const auto& port : s.ports) {
    if (port.published.empty()) continue;  // a random host port: podman knows which
    out += ", " + (port.name.empty() ? s.name : port.name) + ": " + port.published;
  }
  return out;
}

// Service names in the order of the project's normalized node (sorted, as `config` prints them),
// then any the node lacks.
std::vector<std::string> file_order(const compose::Project& p) {
  std::vector<std::string> out;
  if (const compose::Node* services = p.node.is_mapping() ? p.node.find("services") : nullptr)
    for (const auto& key : services->keys)
      if (p.services.count(key.name)) out.push_back(key.name);
  for (const auto& [name, s] : p.services)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  return out;
}

// One line per service (sorted by name), as QPOD printed them, indented by two spaces:
// "  web (running, web: 8000)", "  zookeeper (stopped)". Any service that is not running is
// "stopped", whether its container exited or was never made.
std::string service_lines(const compose::Project& p, const engine::Observed& obs) {
  std::string out;
  for (const auto& name : file_order(p)) {
    const compose::Service& s = p.services.at(name);
    const auto* c = obs.find(name);
    const std::string state = c && c->running() ? "running" : "stopped";
    out += "  " + name + " (" + state + ports_text(s) + ")\n";
  }
  return out;
}

struct ServiceCli {
  std::vector<std::string> names;
  engine::RunOptions run;
  int timeout = -1;
  bool follow = false;
  std::string tail;
};

int list(Context& ctx, ServiceCli& c) {
  return run_engine_command(ctx, c.run, {ProjectNeed::File, false, {}}, [](EngineSession& s) {
    auto obs = engine::observe(s.rt, s.project.name);
    if (!obs) {
      std::cerr << format(obs.errors());
      return 1;
    }
    s.out << service_lines(s.project, *obs);
    return 0;
  });
}

engine::LifecycleOptions lifecycle(const ServiceCli& c) {
  engine::LifecycleOptions o;
  o.services = c.names;
  if (c.timeout >= 0) o.timeout_s = c.timeout;
  return o;
}

// The same logs as `qpod logs NAME...` (prefixes, colours, -f across restarts).
int logs(Context& ctx, ServiceCli& c) {
  return run_engine_command(ctx, c.run, {ProjectNeed::File, false, c.names}, [&](EngineSession& s) {
    engine::LogOptions o;
    o.services = c.names;
    o.follow = c.follow;
    o.tail = c.tail;
    o.color = s.ansi;
    return engine::show_logs(s.rt, s.project.name, o, s.out, std::cerr, s.run.cancel);
  });
}

CLI::App* with_names(CLI::App* cmd, ServiceCli& c, bool required) {
  auto* opt = cmd->add_option("names", c.names, "Services");
  if (required) opt->required();
  cmd->add_flag("--dry-run", c.run.dry_run, "Print the plan; change nothing");
  return cmd;
}

}  // namespace

void add_service(CLI::App& app, Context& ctx) {
  auto* svc = app.add_subcommand("service", "QPOD services: list, start, stop, restart, logs");
  svc->require_subcommand(1);
  auto c = std::make_shared<ServiceCli>();

  svc->add_subcommand("list", "One line per service: its state and published ports")
      ->callback([&ctx, c] { ctx.exit_code = list(ctx, *c); });

  with_names(svc->add_subcommand("start", "Start services (and what they need), even manual ones"),
             *c, true)
      ->callback([&ctx, c] {
        engine::UpOptions up;
        up.services = c->names;
        ctx.exit_code = run_engine_command(
            ctx, c->run, {ProjectNeed::File, true, c->names}, [&](EngineSession& s) {
              return engine::up(s.project, s.rt, s.progress, up, s.run, s.out);
            });
      });
  for (auto [name, op, help] : {std::tuple{"stop", &engine::stop, "Stop services"},
                                std::tuple{"restart", &engine::restart, "Restart services"}}) {
    auto* cmd = with_names(svc->add_subcommand(name, help), *c, true);
    cmd->add_option("-t,--timeout", c->timeout, "Seconds to wait for each container to stop");
    cmd->callback([&ctx, c, op = op] {
      ctx.exit_code = run_engine_command(
          ctx, c->run, {ProjectNeed::File, true, c->names}, [&](EngineSession& s) {
            return op(s.project, s.rt, s.progress, lifecycle(*c), s.run, s.out);
          });
    });
  }
  auto* lg =
      with_names(svc->add_subcommand("logs", "Print a service's logs (podman logs)"), *c, true);
  lg->add_flag("-f,--follow", c->follow, "Follow the log output");
  lg->add_option("--tail", c->tail, "Lines from the end of the logs");
  lg->callback([&ctx, c] { ctx.exit_code = logs(ctx, *c); });
}

}  // namespace qpod::cli
