// qpod down: stop in reverse dependency order, remove the containers and the pod (and with -v
// the project's volumes); everything is found by the project label.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "engine/operations.h"
#include "engine/podman_cli.h"

namespace qpod::cli {
namespace {

struct DownCli {
  engine::DownOptions down;
  engine::RunOptions run;
  int timeout = -1;
};

int run_down(Context& ctx, DownCli& o) {
  auto project = project_or_name(ctx);
  if (!project) return 1;
  if (o.timeout >= 0) o.down.timeout_s = o.timeout;
  engine::PodmanCli rt;
  engine::StreamProgress progress(std::cout, std::cerr);
  o.run.cancel = cancel_on_signal();
  return engine::down(*project, rt, progress, o.down, o.run, std::cout);
}

}  // namespace

void add_down(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("down", "Stop and remove the pod, its containers and networks");
  auto o = std::make_shared<DownCli>();
  cmd->add_option("-t,--timeout", o->timeout, "Seconds to wait for each container to stop");
  cmd->add_flag("-v,--volumes", o->down.volumes, "Also remove the project's named volumes");
  cmd->add_flag("--remove-orphans", o->down.remove_orphans,
                "Also remove containers of services not in the project");
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, o] { ctx.exit_code = run_down(ctx, *o); });
}

}  // namespace qpod::cli
