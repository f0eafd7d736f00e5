// qpod start / stop / restart: act on the project's existing containers, in dependency order.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"

namespace qpod::cli {
namespace {

struct LifecycleCli {
  engine::LifecycleOptions o;
  engine::RunOptions run;
  int timeout = -1;
};

using Operation = int (*)(const compose::Project&, podman::Runtime&, engine::Progress&,
                          const engine::LifecycleOptions&, const engine::RunOptions&,
                          std::ostream&);

void add_lifecycle(CLI::App& app, Context& ctx, const char* name, const char* help, Operation op,
                   ProjectNeed need, bool with_timeout) {
  auto* cmd = app.add_subcommand(name, help);
  auto c = std::make_shared<LifecycleCli>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  if (with_timeout)
    cmd->add_option("-t,--timeout", c->timeout, "Seconds to wait for each container to stop");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c, op, need] {
    if (c->timeout >= 0) c->o.timeout_s = c->timeout;
    ctx.exit_code = run_engine_command(
        ctx, c->run, {need, true, c->o.services},
        [&](EngineSession& s) { return op(s.project, s.rt, s.progress, c->o, s.run, s.out); });
  });
}

}  // namespace

void add_lifecycle_commands(CLI::App& app, Context& ctx) {
  add_lifecycle(app, ctx, "start", "Start the services' existing containers", engine::start,
                ProjectNeed::File, false);
  add_lifecycle(app, ctx, "stop", "Stop the services' containers without removing them",
                engine::stop, ProjectNeed::NameIsEnough, true);
  add_lifecycle(app, ctx, "restart", "Restart the services' containers", engine::restart,
                ProjectNeed::File, true);
}

}  // namespace qpod::cli
