// qpod logs: the services' container logs, prefixed and interleaved; -f follows them (across
// restarts and recreations) until Ctrl-C or the project is gone.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "engine/logs_follow.h"

namespace qpod::cli {
namespace {

struct LogsCli {
  engine::LogOptions o;
  engine::RunOptions run;
  bool no_color = false, no_prefix = false;
};

}  // namespace

void add_logs(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("logs", "Show the services' logs");
  auto c = std::make_shared<LogsCli>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_flag("-f,--follow", c->o.follow, "Follow the logs (across restarts) until Ctrl-C");
  cmd->add_option("-n,--tail", c->o.tail, "Lines from the end of each container's log, or all")
      ->check([](const std::string& v) {
        if (v == "all" || (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos))
          return std::string();
        return std::string("--tail takes a number or \"all\"");
      });
  cmd->add_flag("-t,--timestamps", c->o.timestamps, "Show timestamps");
  cmd->add_option("--since", c->o.since,
                  "Lines since a time (2013-01-02T13:23:37Z) or a relative one (42m)");
  cmd->add_option("--until", c->o.until,
                  "Lines before a time (2013-01-02T13:23:37Z) or a relative one (42m)");
  cmd->add_flag("--no-color", c->no_color, "Monochrome output");
  cmd->add_flag("--no-log-prefix", c->no_prefix, "Do not print the container name before lines");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->o.services}, [&](EngineSession& s) {
          engine::LogOptions o = c->o;
          o.prefix = !c->no_prefix;
          o.color = s.ansi && !c->no_color;
          return engine::show_logs(s.rt, s.project.name, o, s.out, std::cerr, s.run.cancel);
        });
  });
}

}  // namespace qpod::cli
