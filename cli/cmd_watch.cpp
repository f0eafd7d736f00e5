// qpod watch: up (unless --no-up), then sync, restart or rebuild services as their watched
// files change, until Ctrl-C, which leaves the stack running (as `docker compose watch`).
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/watch_cli.h"
#include "engine/watch_loop.h"

namespace qpod::cli {
namespace {

struct WatchCli {
  engine::WatchLoopOptions watch;
  engine::RunOptions run;
  bool no_up = false;
};

int run_watch(Context& ctx, engine::WatchLoopOptions& watch, engine::RunOptions& run) {
  // No lock for the whole session: watch() takes it for up and for each batch, so that other
  // commands (stop, down...) can run between them.
  return run_engine_command(
      ctx, run, {ProjectNeed::File, false, watch.services}, [&](EngineSession& s) {
        return engine::watch(s.project, s.rt, s.progress, watch, s.run, s.out);
      });
}

}  // namespace

int run_up_watch(Context& ctx, const engine::UpOptions& up, engine::RunOptions& run) {
  engine::WatchLoopOptions watch;
  watch.services = up.services;
  watch.up = up;
  return run_watch(ctx, watch, run);
}

void add_watch(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "watch", "Watch the services' files; sync, restart or rebuild them as files change");
  auto c = std::make_shared<WatchCli>();
  cmd->add_option("services", c->watch.services, "Services to watch (default: all with rules)");
  cmd->add_flag("--no-up", c->no_up, "Do not bring the project up first");
  cmd->add_flag("--quiet", c->watch.quiet, "Hide the containers' progress; keep the watch lines");
  cmd->add_flag("--prune,!--no-prune", c->watch.prune,
                "Remove the project's dangling images after a rebuild (default: on)");
  cmd->callback([&ctx, c] {
    if (!c->no_up) {
      engine::UpOptions up;
      up.services = c->watch.services;
      c->watch.up = up;
    }
    ctx.exit_code = run_watch(ctx, c->watch, c->run);
  });
}

}  // namespace qpod::cli
