// qpod build: build the images of services that have `build` (tag: `image`, else
// <project>-<service>), one at a time, with podman build's output on stderr.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "env/route.h"
#include "env/session.h"

namespace qpod::cli {
namespace {

struct BuildCli {
  engine::BuildOptions build;
  engine::RunOptions run;
  bool pull = false, quiet = false;
};

int run_build(Context& ctx, BuildCli& o) {
  if (o.pull) o.build.flags.pull = "always";
  return run_engine_command(
      ctx, o.run, {ProjectNeed::File, true, o.build.services}, [&](EngineSession& s) {
        // Through progress: a terminal's redraw must not overwrite it.
        if (!o.quiet)
          o.build.output = [&s](const std::string& line, bool) { s.progress.output(line); };
        int rc = engine::build(s.project, s.rt, s.progress, o.build, s.run, s.out);
        // A QPOD environment that builds its image: that one too, and
        // its container is replaced by the next command.
        auto env_image = env::environment_build(s.project);
        if (rc != 0 || !o.build.services.empty() || !env_image) return rc;
        rc = engine::build(*env_image, s.rt, s.progress, o.build, s.run, s.out);
        if (!s.run.dry_run) env::environment_rebuilt(s.project);
        return rc;
      });
}

}  // namespace

void add_build(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("build", "Build the services' images");
  auto o = std::make_shared<BuildCli>();
  cmd->add_option("services", o->build.services, "Services (default: all that have build)");
  cmd->add_flag("--no-cache", o->build.flags.no_cache, "Do not use the build cache");
  cmd->add_flag("--pull", o->pull, "Always pull newer versions of the base images");
  cmd->add_option("--build-arg", o->build.flags.build_args, "KEY=VALUE (repeatable)");
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print podman build's output");
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, o] { ctx.exit_code = run_build(ctx, *o); });
}

}  // namespace qpod::cli
