// qpod kill / rm / pause / unpause: act on the selected services' containers at once.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <memory>
#include <string>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/engine_flags.h"
#include "engine/container_commands.h"

namespace qpod::cli {
namespace {

// docker compose's prompt: on a terminal "MSG [y/N]: " until y/n (empty = no); otherwise the
// message and one line read from stdin (EOF = no).
bool ask(const std::string& message) {
  if (isatty(STDIN_FILENO)) {
    for (;;) {
      std::cout << message << " [y/N]: " << std::flush;
      std::string line;
      if (!std::getline(std::cin, line)) {
        std::cout << "\n";
        return false;
      }
      std::string a = line;
      for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      a.erase(0, a.find_first_not_of(" \t"));
      a.erase(a.find_last_not_of(" \t\r") + 1);
      if (a.empty() || a == "n" || a == "no") return false;
      if (a == "y" || a == "yes") return true;
    }
  }
  std::cout << message << std::flush;
  std::string line;
  bool yes = std::getline(std::cin, line) && engine::is_yes(line);
  std::cout << "\n";
  return yes;
}

void add_kill(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("kill", "Force stop the services' containers");
  auto c = std::make_shared<EngineFlags<engine::KillOptions>>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_option("-s,--signal", c->o.signal, "Signal to send to the container")
      ->default_str("SIGKILL");
  cmd->add_flag("--remove-orphans", c->o.remove_orphans,
                "Also kill containers of services not in the compose file");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, true, c->o.services}, [&](EngineSession& s) {
          return engine::kill(s.project, s.rt, s.progress, c->o, s.run, s.out, std::cerr);
        });
  });
}

void add_rm(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("rm", "Remove the services' stopped containers");
  struct Cli {
    engine::RmOptions o;
    engine::RunOptions run;
    bool force = false;
  };
  auto c = std::make_shared<Cli>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_flag("-f,--force", c->force, "Don't ask to confirm removal");
  cmd->add_flag("-s,--stop", c->o.stop, "Stop the containers, if required, before removing");
  cmd->add_flag("-v,--volumes", c->o.volumes, "Remove anonymous volumes attached to containers");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    engine::Confirm confirm = [force = c->force](const std::string& message) {
      if (!force) return ask(message);
      std::cout << message << "\n";
      return true;
    };
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, true, c->o.services}, [&](EngineSession& s) {
          return engine::rm(s.project, s.rt, s.progress, c->o, confirm, s.run, s.out, std::cerr);
        });
  });
}

using PauseOp = int (*)(const compose::Project&, podman::Runtime&, engine::Progress&,
                        const std::vector<std::string>&, const engine::RunOptions&, std::ostream&);

void add_pause(CLI::App& app, Context& ctx, const char* name, const char* help, PauseOp op) {
  auto* cmd = app.add_subcommand(name, help);
  struct Cli {
    std::vector<std::string> services;
    engine::RunOptions run;
  };
  auto c = std::make_shared<Cli>();
  cmd->add_option("services", c->services, "Services (default: all)");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c, op] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, true, c->services}, [&](EngineSession& s) {
          return op(s.project, s.rt, s.progress, c->services, s.run, s.out);
        });
  });
}

}  // namespace

void add_container_commands(CLI::App& app, Context& ctx) {
  add_kill(app, ctx);
  add_rm(app, ctx);
  add_pause(app, ctx, "pause", "Pause the services' running containers", engine::pause);
  add_pause(app, ctx, "unpause", "Unpause the services' paused containers", engine::unpause);
}

}  // namespace qpod::cli
