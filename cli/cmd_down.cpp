// qpod down: stop in reverse dependency order, remove the containers and the pod (and with -v
// the project's volumes); everything is found by the project label.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"

namespace qpod::cli {
namespace {

struct DownCli {
  engine::DownOptions down;
  engine::RunOptions run;
  int timeout = -1;
};

int run_down(Context& ctx, DownCli& o) {
  if (o.timeout >= 0) o.down.timeout_s = o.timeout;
  return run_engine_command(
      ctx, o.run, {ProjectNeed::NameIsEnough, true, {}}, [&](EngineSession& s) {
        return engine::down(s.project, s.rt, s.progress, o.down, s.run, s.out);
      });
}

}  // namespace

void add_down(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("down", "Stop and remove the pod, its containers and networks");
  auto o = std::make_shared<DownCli>();
  cmd->add_option("-t,--timeout", o->timeout, "Seconds to wait for each container to stop");
  cmd->add_flag("-v,--volumes", o->down.volumes, "Also remove the project's named volumes");
  cmd->add_flag("--remove-orphans", o->down.remove_orphans,
                "Also remove containers of services not in the project");
  cmd->add_option("--rmi", o->down.rmi,
                  "Remove images: local (those built as <project>-<service>) or all")
      ->check(CLI::IsMember({"local", "all"}));
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, o] { ctx.exit_code = run_down(ctx, *o); });
}

}  // namespace qpod::cli
