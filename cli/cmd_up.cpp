// qpod up: create and start the project's pod and containers (observe → plan → execute).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/watch_cli.h"

namespace qpod::cli {
namespace {

struct UpCli {
  engine::UpOptions up;
  engine::RunOptions run;
  bool detach = false;
  bool watch = false;
};

int run_up(Context& ctx, UpCli& o) {
  if (o.up.force_recreate && o.up.no_recreate) {
    std::cerr << "--force-recreate and --no-recreate are incompatible\n";
    return 1;
  }
  if (o.watch && !o.run.dry_run) {  // detached up, then the watch loop (no attached logs yet)
    if (!o.detach) std::cerr << "note: attaching to logs is not implemented yet; watching\n";
    return run_up_watch(ctx, o.up, o.run);
  }
  if (!o.detach && !o.run.dry_run)
    std::cerr << "note: attaching to logs is not implemented yet; running detached (-d)\n";
  return run_engine_command(ctx, o.run, {ProjectNeed::File, true, o.up.services},
                            [&](EngineSession& s) {
                              return engine::up(s.project, s.rt, s.progress, o.up, s.run, s.out);
                            });
}

}  // namespace

void add_up(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("up", "Create and start the pod and containers");
  auto o = std::make_shared<UpCli>();
  cmd->add_option("services", o->up.services, "Services to start (default: all)");
  cmd->add_flag("-d,--detach", o->detach, "Run in the background");
  cmd->add_flag("--force-recreate", o->up.force_recreate,
                "Recreate containers even if their configuration is unchanged");
  cmd->add_flag("--no-recreate", o->up.no_recreate, "Never recreate existing containers");
  cmd->add_flag("--no-deps", o->up.no_deps, "Do not start the services' dependencies");
  cmd->add_flag("--remove-orphans", o->up.remove_orphans,
                "Remove containers of services not in the project");
  cmd->add_flag("-w,--watch", o->watch, "Watch the services' files after up (see `qpod watch`)");
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->add_option("--parallel", o->run.parallelism, "Podman calls at once")
      ->check(CLI::Range(1, 64));
  cmd->callback([&ctx, o] { ctx.exit_code = run_up(ctx, *o); });
}

}  // namespace qpod::cli
