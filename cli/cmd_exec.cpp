// qpod exec SERVICE COMMAND...: a command in a service's running container (podman exec), with
// stdin, the TTY, signals and the exit code passed through.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/service_command.h"
#include "engine/interactive.h"
#include "env/session.h"
#include "podman/podman_argv.h"
#include "podman/podman_cli.h"
#include "podman/remote.h"

namespace qpod::cli {
namespace {

struct ExecCli {
  podman::ExecArgs args;
  TtyFlags tty;
  ServiceCommand what;
  engine::RunOptions run;
};

int run_exec(Context& ctx, ExecCli& o, const std::string& service,
             const std::vector<std::string>& command) {
  if (command.empty()) {
    std::cerr << "qpod exec: give a command: qpod exec SERVICE COMMAND [ARGS...]\n";
    return 1;
  }
  return run_engine_command(
      ctx, o.run, {ProjectNeed::File, false, {service}}, [&](EngineSession& s) {
        podman::PodmanCli podman;
        podman::ExecArgs a = o.args;
        a.tty = o.tty.wanted(a.detach);
        if (!a.detach) a.marker = env::exec_marker();
        podman::Argv argv =
            podman::container_exec(s.project, s.project.services.at(service), a, command);
        if (s.run.dry_run) {
          s.out << podman::join_argv(podman::shown_command_line(argv)) << "\n";
          return 0;
        }
        argv = podman.command_line(argv);  // podman, --url..., argv
        return engine::run_interactive(podman.binary(), argv,
                                       engine::podman_exec_options(a.marker, !a.tty));
      });
}

}  // namespace

void add_exec(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("exec", "Run a command in a running service container");
  auto o = std::make_shared<ExecCli>();
  add_tty_flags(*cmd, o->tty, o->args.interactive);
  cmd->add_flag("--privileged", o->args.privileged, "Give the command extended privileges");
  cmd->add_flag("-d,--detach", o->args.detach, "Run the command in the background");
  cmd->add_option("-e,--env", o->args.env, "Set KEY=VALUE in the command's environment")
      ->allow_extra_args(false);  // one value per -e: what follows is SERVICE COMMAND
  cmd->add_option("-u,--user", o->args.user, "Run as this user");
  cmd->add_option("-w,--workdir", o->args.workdir, "Working directory of the command");
  cmd->add_option("--index", o->args.index, "The service's container number (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the podman command; run nothing");
  add_service_command(*cmd, o->what);
  cmd->callback([&ctx, o] {
    finish_service_command(o->what);
    if (o->what.service.empty()) {
      std::cerr << "qpod exec: give a service and a command: qpod exec SERVICE COMMAND\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_exec(ctx, *o, o->what.service, o->what.command);
  });
}

}  // namespace qpod::cli
