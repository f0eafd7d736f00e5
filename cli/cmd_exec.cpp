// qpod exec SERVICE COMMAND...: a command in a service's running container (podman exec), with
// stdin, the TTY, signals and the exit code passed through.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/env_session.h"
#include "cli/suggest.h"
#include "engine/interactive.h"
#include "engine/podman_argv.h"
#include "engine/podman_cli.h"

namespace qpod::cli {
namespace {

struct ExecCli {
  engine::ExecArgs args;
  bool no_tty = false, tty = false, interactive = false;
  engine::RunOptions run;
};

// What follows the options: SERVICE [--] COMMAND...; returns an error message, or "".
std::string split_command(CLI::App* cmd, std::string& service, std::vector<std::string>& command) {
  auto rest = cmd->remaining();
  if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
  if (rest.empty()) return "give a service and a command: qpod exec SERVICE COMMAND";
  // Before the service, a flag this command does not have (prefix_command() lets it through).
  if (rest.front().starts_with("-")) return unknown_flag_message(*cmd, rest.front());
  service = rest.front();
  command.assign(rest.begin() + 1, rest.end());
  if (!command.empty() && command.front() == "--") command.erase(command.begin());
  return "";
}

int run_exec(Context& ctx, ExecCli& o, const std::string& service,
             const std::vector<std::string>& command) {
  if (command.empty()) {
    std::cerr << "qpod exec: give a command: qpod exec SERVICE COMMAND [ARGS...]\n";
    return 1;
  }
  return run_engine_command(
      ctx, o.run, {ProjectNeed::File, false, {service}}, [&](EngineSession& s) {
        engine::PodmanCli podman;
        engine::ExecArgs a = o.args;
        // As docker compose's exec: a TTY when stdin is one, -t alone does not force one.
        a.tty = !o.no_tty && !a.detach && isatty(STDIN_FILENO) == 1;
        if (!a.detach) a.marker = exec_marker();
        engine::Argv argv = engine::container_exec(s.project, s.project.services.at(service), a,
                                                   command);
        if (s.run.dry_run) {
          s.out << "podman " << engine::join_argv(argv) << "\n";
          return 0;
        }
        argv.insert(argv.begin(), podman.binary());
        return engine::run_interactive(podman.binary(), argv,
                                       engine::podman_exec_options(a.marker, !a.tty));
      });
}

}  // namespace

void add_exec(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("exec", "Run a command in a running service container");
  auto o = std::make_shared<ExecCli>();
  cmd->prefix_command();  // SERVICE COMMAND ARGS...: the command's own options are not ours
  cmd->add_flag("-T,--no-TTY", o->no_tty, "Do not allocate a TTY (default: when stdin is one)");
  // docker compose's hidden -i and -t: its exec is interactive, with a TTY when it can have one.
  cmd->add_flag("-i,--interactive", o->interactive, "Keep stdin open (the default; no effect)");
  cmd->add_flag("-t,--tty", o->tty, "Allocate a TTY when stdin is one (the default; no effect)");
  cmd->add_flag("--privileged", o->args.privileged, "Give the command extended privileges");
  cmd->add_flag("-d,--detach", o->args.detach, "Run the command in the background");
  cmd->add_option("-e,--env", o->args.env, "Set KEY=VALUE in the command's environment")
      ->allow_extra_args(false);  // one value per -e: what follows is SERVICE COMMAND
  cmd->add_option("-u,--user", o->args.user, "Run as this user");
  cmd->add_option("-w,--workdir", o->args.workdir, "Working directory of the command");
  cmd->add_option("--index", o->args.index, "The service's container number (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the podman command; run nothing");
  cmd->callback([&ctx, o, cmd] {
    std::string service;
    std::vector<std::string> command;
    if (auto error = split_command(cmd, service, command); !error.empty()) {
      std::cerr << "qpod exec: " << error << "\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_exec(ctx, *o, service, command);
  });
}

}  // namespace qpod::cli
