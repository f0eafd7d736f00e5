// qpod top / port / images / ls / wait: read the project's containers (ls: every project's).
// None takes the project lock: they change nothing (wait --down-project runs `down` itself).
#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/engine_flags.h"
#include "engine/query_commands.h"
#include "podman/podman_cli.h"

namespace qpod::cli {
namespace {

struct ServicesCli {
  std::vector<std::string> services;
  engine::RunOptions run;
};

void add_top(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("top", "Display the running processes");
  auto c = std::make_shared<ServicesCli>();
  cmd->add_option("services", c->services, "Services (default: all)");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->services}, [&](EngineSession& s) {
          return engine::top(s.project, s.rt, c->services, s.out, std::cerr);
        });
  });
}

void add_port(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("port", "Print the public port for a port binding");
  auto c = std::make_shared<EngineFlags<engine::PortOptions>>();
  cmd->add_option("service", c->o.service, "Service")->required();
  cmd->add_option("private_port", c->o.target, "Container port")
      ->required()
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--protocol", c->o.protocol, "tcp or udp")
      ->check(CLI::IsMember({"tcp", "udp"}, CLI::ignore_case));
  cmd->add_option("--index", c->o.index, "Index of the container if the service has replicas");
  cmd->callback([&ctx, c] {
    for (auto& ch : c->o.protocol) ch = static_cast<char>(std::tolower(ch));
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::File, false, {c->o.service}},
        [&](EngineSession& s) { return engine::port(s.project, s.rt, c->o, s.out, std::cerr); });
  });
}

void add_images(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("images", "List images used by the created containers");
  auto c = std::make_shared<EngineFlags<engine::ImagesOptions>>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_option("--format", c->o.format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("-q,--quiet", c->o.quiet, "Only display IDs");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->o.services},
        [&](EngineSession& s) { return engine::images(s.project, s.rt, c->o, s.out, std::cerr); });
  });
}

void add_ls(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("ls", "List running compose projects");
  auto o = std::make_shared<engine::LsOptions>();
  cmd->add_flag("-a,--all", o->all, "Show all stopped projects too");
  cmd->add_flag("-q,--quiet", o->quiet, "Only display project names");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--filter", o->filters, "Filter output: name=REGEX");
  cmd->callback([&ctx, o] {
    podman::PodmanCli rt;
    ctx.exit_code = engine::ls(rt, *o, std::cout, std::cerr);
  });
}

void add_wait(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("wait", "Block until the services' containers stop");
  auto c = std::make_shared<EngineFlags<engine::WaitOptions>>();
  cmd->add_option("services", c->o.services, "Services")->required();
  cmd->add_flag("--down-project", c->o.down_project,
                "Drop the project when the first container stops");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->o.services}, [&](EngineSession& s) {
          return engine::wait(s.project, s.rt, s.progress, c->o, s.run, s.out, std::cerr);
        });
  });
}

}  // namespace

void add_query_commands(CLI::App& app, Context& ctx) {
  add_top(app, ctx);
  add_port(app, ctx);
  add_images(app, ctx);
  add_ls(app, ctx);
  add_wait(app, ctx);
}

}  // namespace qpod::cli
