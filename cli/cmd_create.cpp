// qpod create: what `up` would create (images, networks, volumes, the pod, the containers),
// none of it started, as `docker compose create`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/engine_flags.h"
#include "cli/up_flags.h"

namespace qpod::cli {

void add_create(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("create", "Create the pod and containers, without starting them");
  auto c = std::make_shared<EngineFlags<engine::UpOptions>>();
  c->o.create_only = true;
  cmd->add_option("services", c->o.services, "Services (default: all)");
  add_image_flags(*cmd, c->o, "creating containers");
  add_recreate_flags(*cmd, c->o);
  cmd->add_flag("--remove-orphans", c->o.remove_orphans,
                "Remove containers of services not in the project");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    if (!up_flags_compatible(c->o, std::cerr)) {
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::File, true, c->o.services}, [&](EngineSession& s) {
          return engine::up(s.project, s.rt, s.progress, c->o, s.run, s.out);
        });
  });
}

}  // namespace qpod::cli
