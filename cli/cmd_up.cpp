// qpod up: create and start the project's pod and containers (observe → plan → execute).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/scale_args.h"
#include "cli/up_attach.h"
#include "cli/up_flags.h"
#include "cli/watch_cli.h"
#include "engine/logs_follow.h"

namespace qpod::cli {
namespace {

struct UpCli {
  engine::UpOptions up;
  engine::RunOptions run;
  bool detach = false;
  double wait_timeout = 0;
  UpAttachCli attach;  // without -d
  bool watch = false;
  std::vector<std::string> scale;  // --scale SERVICE=N
};

int run_up(Context& ctx, UpCli& o) {
  if (!up_flags_compatible(o.up, std::cerr)) return 1;
  if (o.up.wait) o.detach = true;  // --wait implies -d
  if (o.wait_timeout > 0)
    o.run.wait_timeout = std::chrono::duration_cast<compose::Duration>(
        std::chrono::duration<double>(o.wait_timeout));
  if (auto bad = parse_scale(o.scale, o.up.scale); !bad.empty()) {
    std::cerr << bad << "\n";
    return 1;
  }
  o.attach.services = o.up.services;
  o.attach.timeout_s = o.up.timeout_s;
  if (o.watch && !o.run.dry_run) {  // detached up, then the watch loop
    if (!o.detach) std::cerr << "note: up --watch runs detached (no attached logs); watching\n";
    return run_up_watch(ctx, o.up, o.run);
  }
  return run_engine_command(
      ctx, o.run, {ProjectNeed::File, true, o.up.services}, [&](EngineSession& s) {
        if (auto usable = check_attach(o.attach, s.project, o.detach); !usable) {
          std::cerr << format(usable.errors());
          return 1;
        }
        std::string since = engine::now_rfc3339();
        int code = engine::up(s.project, s.rt, s.progress, o.up, s.run, s.out);
        if (code != 0 || o.detach || o.run.dry_run) return code;
        return attach_after_up(s, o.attach, since);
      });
}

}  // namespace

void add_up(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("up", "Create and start the pod and containers");
  auto o = std::make_shared<UpCli>();
  cmd->add_option(
      "services", o->up.services,
      "Services to start (default: all but a QPOD template's start: binary/manual ones)");
  cmd->add_flag("-d,--detach", o->detach, "Run in the background");
  add_recreate_flags(*cmd, o->up);
  cmd->add_flag("--no-deps", o->up.no_deps, "Do not start the services' dependencies");
  cmd->add_flag("--remove-orphans", o->up.remove_orphans,
                "Remove containers of services not in the project");
  add_image_flags(*cmd, o->up, "starting containers");
  cmd->add_flag("--wait", o->up.wait,
                "Wait until services are running, and healthy if they have a health check "
                "(implies -d)");
  cmd->add_option("-t,--timeout", o->up.timeout_s,
                  "Seconds a container gets to stop: when attached (Ctrl-C, abort) and when "
                  "running ones are replaced");
  cmd->add_option("--wait-timeout", o->wait_timeout, "Seconds --wait waits at most")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--scale", o->scale, "SERVICE=N: run N containers of the service (repeatable)");
  add_attach_flags(cmd, o->attach);
  cmd->add_flag("-w,--watch", o->watch, "Watch the services' files after up (see `qpod watch`)");
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan; change nothing");
  cmd->add_option("--parallel", o->run.parallelism, "Podman calls at once")
      ->check(CLI::Range(1, 64));
  cmd->callback([&ctx, o] { ctx.exit_code = run_up(ctx, *o); });
}

}  // namespace qpod::cli
