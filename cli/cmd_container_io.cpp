// qpod cp / attach / stats / events / volumes: docker compose's commands that reach into the
// project's containers (and volumes) with podman's own cp, attach, stats, events, volume ls.
// None takes the project lock: they change no container's state.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/engine_flags.h"
#include "engine/copy.h"
#include "engine/events.h"
#include "engine/interactive.h"
#include "engine/observe.h"
#include "engine/project_volumes.h"
#include "engine/service_containers.h"
#include "engine/stats_empty.h"
#include "podman/command_argv.h"
#include "podman/podman_argv.h"
#include "podman/remote.h"

namespace qpod::cli {
namespace {

// Runs each podman argv with the terminal (stdin, stdout, signals passed through); --dry-run
// prints them. The first failure's exit code, else 0.
int run_podman(EngineSession& s, const std::vector<podman::Argv>& argvs) {
  podman::PodmanCli podman;
  for (podman::Argv argv : argvs) {
    if (s.run.dry_run) {
      s.out << podman::join_argv(podman::shown_command_line(argv)) << "\n";
      continue;
    }
    argv = podman.command_line(argv);  // podman, --url..., argv
    engine::InteractiveOptions io;
    io.own_process_group = isatty(STDIN_FILENO) != 1;
    if (int code = engine::run_interactive(podman.binary(), argv, io); code != 0) return code;
  }
  return 0;
}

std::optional<engine::Observed> observe_or_say(EngineSession& s) {
  auto obs = engine::observe(s.rt, s.project.name);
  if (!obs) {
    std::cerr << format(obs.errors());
    return std::nullopt;
  }
  return std::move(obs).value();
}

void add_cp(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "cp",
      "Copy files between a service container and the host: SERVICE:SRC DEST, SRC SERVICE:DEST");
  auto c = std::make_shared<EngineFlags<engine::CopyOptions>>();
  cmd->add_option("source", c->o.source, "SERVICE:SRC_PATH, or a host path (- = a tar on stdin)")
      ->required();
  cmd->add_option("destination", c->o.destination,
                  "DEST_PATH (- = a tar on stdout), or SERVICE:DEST_PATH")
      ->required();
  cmd->add_option("--index", c->o.index,
                  "The service's container number (default: the first "
                  "from it, every one to it)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--all", c->o.all, "Include the containers `run` created");
  cmd->add_flag("-a,--archive", c->o.keep_owner, "Keep the files' uid and gid");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the podman commands; copy nothing");
  cmd->callback([&ctx, c] {
    auto service = engine::copy_service(c->o);
    if (!service) {
      std::cerr << "qpod cp: " << service.errors().front().message << "\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_engine_command(ctx, c->run, {ProjectNeed::NameIsEnough, false, {*service}},
                                       [&](EngineSession& s) {
                                         auto obs = observe_or_say(s);
                                         if (!obs) return 1;
                                         auto argvs = engine::plan_copy(s.project, *obs, c->o);
                                         if (!argvs) {
                                           std::cerr << format(argvs.errors());
                                           return 1;
                                         }
                                         return run_podman(s, *argvs);
                                       });
  });
}

void add_attach(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "attach", "Attach the terminal's stdin, stdout and stderr to a service's running container");
  struct Cli {
    std::string service;
    int index = 0;
    podman::AttachArgs a;
    engine::RunOptions run;
  };
  auto c = std::make_shared<Cli>();
  cmd->add_option("service", c->service, "The service")->required();
  cmd->add_option("--index", c->index, "The service's container number (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-stdin", c->a.no_stdin, "Do not attach stdin");
  cmd->add_flag("--sig-proxy", c->a.sig_proxy,
                "Pass the signals qpod gets to the container (default true)");
  cmd->add_option("--detach-keys", c->a.detach_keys,
                  "Keys that detach from the container (podman's default: ctrl-p,ctrl-q)");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the podman command");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, {c->service}}, [&](EngineSession& s) {
          auto obs = observe_or_say(s);
          if (!obs) return 1;
          auto picked =
              engine::select_containers(s.project, *obs, {c->service, c->index, false, true});
          if (!picked) {
            std::cerr << format(picked.errors());
            return 1;
          }
          const std::string name = picked->front()->name;
          int code = run_podman(s, {podman::container_attach(name, c->a)});
          if (code != 0 || s.run.dry_run) return code;
          // podman attach exits 0 when the container ends; docker's attach gives its code. The
          // container may still be stopping for a moment; one that keeps running was detached
          // from (ctrl-p ctrl-q): 0.
          for (int tries = 0; tries < 20; ++tries) {
            podman::RunResult state = s.rt.run(podman::container_state(name));
            std::istringstream in(state.out);
            std::string status;
            int exit_code = 0;
            if (!state.ok() || !(in >> status >> exit_code)) break;
            if (status == "exited" || status == "stopped") return exit_code;
            if (status != "stopping" && status != "running") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
          return code;
        });
  });
}

void add_stats(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("stats", "Display the containers' resource usage");
  struct Cli {
    std::string service;
    podman::StatsArgs a;
    engine::RunOptions run;
  };
  auto c = std::make_shared<Cli>();
  cmd->add_option("service", c->service, "Only this service's containers");
  cmd->add_flag("-a,--all", c->a.all, "Show all containers (default: the running ones)");
  cmd->add_flag("--no-stream", c->a.no_stream, "Print the first result only, do not stream");
  cmd->add_flag("--no-trunc", c->a.no_trunc, "Do not truncate the output");
  cmd->add_option("--format", c->a.format, "json, or a Go template (podman's)");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the podman command");
  cmd->callback([&ctx, c] {
    std::vector<std::string> services;
    if (!c->service.empty()) services.push_back(c->service);
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, services}, [&](EngineSession& s) {
          auto obs = observe_or_say(s);
          if (!obs) return 1;
          // docker compose stats filters by label: a service with no (running) container is
          // an empty table, not an error.
          auto picked = engine::select_containers(s.project, *obs, {"", 0, true, !c->a.all});
          if (!picked) {
            std::cerr << format(picked.errors());
            return 1;
          }
          if (!c->service.empty())
            std::erase_if(*picked, [&](const auto* ct) { return ct->service != c->service; });
          // Without a name podman shows every container on the host: with none, the empty
          // table (as docker compose's), once; no podman command to print on --dry-run.
          if (picked->empty()) {
            if (!s.run.dry_run) s.out << engine::stats_without_containers(c->a.format);
            return 0;
          }
          std::vector<std::string> names;
          for (const auto* ct : *picked) names.push_back(ct->name);
          return run_podman(s, {podman::container_stats(names, c->a)});
        });
  });
}

void add_events(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("events", "Stream the project's container events");
  auto c = std::make_shared<EngineFlags<engine::EventsOptions>>();
  cmd->add_option("services", c->o.services, "Services (default: all)");
  cmd->add_flag("--json", c->o.json, "Print the events as JSON lines");
  cmd->add_option("--since", c->o.since, "Events since this time (RFC 3339, unix seconds or 1h)");
  cmd->add_option("--until", c->o.until, "Stop at this time (then exit)");
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->o.services}, [&](EngineSession& s) {
          c->o.stop = s.run.cancel;
          int code = engine::events(s.project.name, s.rt, c->o, s.out, std::cerr);
          if (s.run.signal && s.run.signal->load() != 0) return 128 + s.run.signal->load();
          return code;
        });
  });
}

void add_volumes(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("volumes", "List the project's volumes");
  auto c = std::make_shared<EngineFlags<engine::VolumesOptions>>();
  cmd->add_option("services", c->o.services, "Only the volumes these services mount");
  cmd->add_flag("-q,--quiet", c->o.quiet, "Only display volume names");
  cmd->add_option("--format", c->o.format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&ctx, c] {
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::NameIsEnough, false, c->o.services},
        [&](EngineSession& s) { return engine::volumes(s.project, s.rt, c->o, s.out, std::cerr); });
  });
}

}  // namespace

void add_container_io_commands(CLI::App& app, Context& ctx) {
  add_cp(app, ctx);
  add_attach(app, ctx);
  add_stats(app, ctx);
  add_events(app, ctx);
  add_volumes(app, ctx);
}

}  // namespace qpod::cli
