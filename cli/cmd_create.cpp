// qpod create: what `up` would create (images, networks, volumes, the pod, the containers),
// none of it started, as `docker compose create`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"

namespace qpod::cli {

void add_create(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("create", "Create the pod and containers, without starting them");
  struct Cli {
    engine::UpOptions up;
    engine::RunOptions run;
  };
  auto c = std::make_shared<Cli>();
  c->up.create_only = true;
  cmd->add_option("services", c->up.services, "Services (default: all)");
  cmd->add_flag("--build", c->up.images.build, "Build images before creating containers");
  cmd->add_flag("--no-build", c->up.images.no_build, "Do not build an image, even if missing");
  cmd->add_option("--pull", c->up.images.pull, "Pull images: always, missing or never")
      ->check(CLI::IsMember({"always", "missing", "never"}));
  cmd->add_flag("--force-recreate", c->up.force_recreate,
                "Recreate containers even if their configuration is unchanged");
  cmd->add_flag("--no-recreate", c->up.no_recreate, "Never recreate existing containers");
  cmd->add_flag("--remove-orphans", c->up.remove_orphans,
                "Remove containers of services not in the project");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    if (c->up.force_recreate && c->up.no_recreate) {
      std::cerr << "--force-recreate and --no-recreate are incompatible\n";
      ctx.exit_code = 1;
      return;
    }
    if (c->up.images.build && c->up.images.no_build) {
      std::cerr << "--build and --no-build are incompatible\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::File, true, c->up.services}, [&](EngineSession& s) {
          return engine::up(s.project, s.rt, s.progress, c->up, s.run, s.out);
        });
  });
}

}  // namespace qpod::cli
