// qpod pull: pull the images of services that have `image:` and no `build`, in parallel.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"

namespace qpod::cli {

void add_pull(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("pull", "Pull the services' images");
  struct PullCli {
    engine::PullOptions pull;
    engine::RunOptions run;
  };
  auto o = std::make_shared<PullCli>();
  cmd->add_option("services", o->pull.services, "Services (default: all)");
  cmd->add_flag("--ignore-pull-failures", o->pull.ignore_failures,
                "Warn about images that cannot be pulled, and go on");
  cmd->add_flag("-q,--quiet", o->pull.quiet, "Print nothing but errors");
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, o] {
    ctx.exit_code = run_engine_command(
        ctx, o->run, {ProjectNeed::File, true, o->pull.services}, [&](EngineSession& s) {
          return engine::pull(s.project, s.rt, s.progress, o->pull, s.run, s.out);
        });
  });
}

}  // namespace qpod::cli
