// qpod pull: pull the images of services that have `image:` and no `build`, in parallel.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/engine_flags.h"

namespace qpod::cli {

void add_pull(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("pull", "Pull the services' images");
  auto c = std::make_shared<EngineFlags<engine::PullOptions>>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_flag("--ignore-pull-failures", c->o.ignore_failures,
                "Warn about images that cannot be pulled, and go on");
  cmd->add_flag("-q,--quiet", c->o.quiet, "Print nothing but errors");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::File, true, c->o.services}, [&](EngineSession& s) {
          return engine::pull(s.project, s.rt, s.progress, c->o, s.run, s.out);
        });
  });
}

}  // namespace qpod::cli
