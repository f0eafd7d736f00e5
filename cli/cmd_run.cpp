// qpod run SERVICE [COMMAND...]: a one-off container of the service in the project's pod, after
// its dependencies (engine::up); labelled one-off, so `down` removes it.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "base/hash.h"
#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/service_command.h"
#include "engine/hooks.h"
#include "engine/interactive.h"
#include "engine/lock.h"
#include "engine/prepare.h"
#include "podman/podman_argv.h"
#include "podman/podman_cli.h"
#include "podman/remote.h"

namespace qpod::cli {
namespace {

struct RunCli {
  podman::OneoffArgs args;
  std::string entrypoint;
  TtyFlags tty;
  bool no_deps = false, service_ports = false, build = false;
  ServiceCommand what;
  std::vector<std::string> publish;
  engine::RunOptions run;
};

// -v SOURCE:TARGET[:OPTIONS] as podman's --volume: a relative bind source ("./data", "..")
// made absolute against the current folder, a volume of the project's `volumes:` by its name on
// the host ("data" -> "shop_data"); other names, absolute paths and anonymous volumes as given.
std::string resolved_volume(const compose::Project& p, const std::string& v) {
  const auto colon = v.find(':');
  if (colon == std::string::npos) return v;  // "/data": an anonymous volume
  const std::string source = v.substr(0, colon), rest = v.substr(colon);
  if (source == "." || source == ".." || source.starts_with("./") || source.starts_with("../"))
    return std::filesystem::absolute(source).lexically_normal().string() + rest;
  if (auto it = p.volumes.find(source); it != p.volumes.end()) return it->second.name + rest;
  return v;
}

// "KEY" alone takes KEY's value from qpod's own environment, as docker compose does.
std::vector<std::string> resolved_env(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  for (const auto& e : env) {
    if (e.find('=') != std::string::npos) {
      out.push_back(e);
    } else if (const char* v = std::getenv(e.c_str())) {
      out.push_back(e + "=" + v);
    }
  }
  return out;
}

std::string suffix() {
  const auto t = std::chrono::system_clock::now().time_since_epoch().count();
  return fnv1a_hex(std::to_string(t) + "-" + std::to_string(getpid())).substr(0, 12);
}

int run_oneoff(Context& ctx, RunCli& o, const std::string& service,
               const std::vector<std::string>& command) {
  podman::OneoffArgs a = o.args;
  a.env = resolved_env(a.env);
  a.tty = o.tty.wanted(a.detach);
  if (!o.entrypoint.empty()) a.entrypoint = o.entrypoint;
  if (!command.empty()) a.command = command;
  return run_engine_command(
      ctx, o.run, {ProjectNeed::File, false, {service}}, [&](EngineSession& s) {
        const compose::Service& svc = s.project.services.at(service);
        for (auto& v : a.volumes) v = resolved_volume(s.project, v);
        const std::string name_suffix = suffix();
        auto oneoff = [&] {
          return podman::container_run_oneoff(s.project, svc, a, name_suffix, s.rt.host_facts());
        };
        // The pod and the service's dependencies (not the service itself), under the lock;
        // the one-off container runs after it is released, for as long as it likes.
        engine::UpOptions up;
        if (!o.no_deps) {
          const auto& deps = ctx.graph->dependencies(service);
          up.services.assign(deps.begin(), deps.end());
        }
        up.pod_only = up.services.empty();
        up.images.build = o.build;  // the dependencies' images
        engine::StreamProgress progress(std::cerr, std::cerr);
        // --build: the service's own image first, when it has `build`.
        auto build = [&](std::ostream& plan_out) {
          if (!o.build || !svc.build) return 0;
          engine::BuildOptions b;
          b.services = {service};
          b.output = [](const std::string& line, bool) { std::cerr << line << "\n"; };
          return engine::build(s.project, s.rt, progress, b, s.run, plan_out);
        };
        if (s.run.dry_run) {
          build(s.out);
          engine::up(s.project, s.rt, progress, up, s.run, s.out);
          s.out << podman::join_argv(podman::shown_command_line(oneoff())) << "\n";
          return 0;
        }
        // What provider services among the dependencies hand the service: the one-off gets them
        // as `up` gives them to the service (docker compose's run gives it none).
        std::map<std::string, compose::StringMap> provided;
        {
          auto lock = engine::ProjectLock::acquire(s.project.name);
          if (!lock) {
            for (const auto& e : lock.errors()) std::cerr << "Error: " << format(e) << "\n";
            return 1;
          }
          if (build(std::cerr) != 0) return 1;
          if (engine::up(s.project, s.rt, progress, up, s.run, std::cerr, &provided) != 0) return 1;
          // Its own bind-mount sources and copies of its secrets and configs.
          if (auto prepared = engine::prepare_service(s.project, svc); !prepared) {
            for (const auto& e : prepared.errors()) std::cerr << "Error: " << format(e) << "\n";
            return 1;
          }
        }
        if (auto it = provided.find(service); it != provided.end()) a.provided = it->second;
        const std::string container = podman::oneoff_name(s.project, svc, a, name_suffix);
        podman::PodmanCli podman;
        podman::Argv argv = podman.command_line(oneoff());  // podman, --url..., argv
        engine::InteractiveOptions io;
        io.own_process_group = !a.tty;  // podman run proxies what it gets to the container
        // post_start hooks, as docker compose's run: once the container runs (detached: when
        // podman run returned; else alongside it). A failed hook fails a run that succeeded.
        Status hooks = std::monostate{};
        if (!a.detach && !svc.post_start.empty())
          io.alongside = [&](const std::atomic<bool>& ended) {
            hooks = engine::post_start_once_running(s.rt, svc, container, ended, progress);
          };
        int code = engine::run_interactive(podman.binary(), argv, io);
        if (a.detach && code == 0) hooks = engine::run_hooks(s.rt, svc, container, true);
        if (!hooks && code == 0) {
          for (const auto& e : hooks.errors()) progress.error(format(e));
          return 1;
        }
        return code;
      });
}

}  // namespace

void add_run(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("run", "Run a one-off command in a new container of a service");
  auto o = std::make_shared<RunCli>();
  cmd->add_flag("--rm", o->args.rm, "Remove the container when it exits");
  cmd->add_flag("-d,--detach", o->args.detach, "Run in the background, print the container id");
  add_tty_flags(*cmd, o->tty, o->args.interactive);
  cmd->add_flag("--no-deps", o->no_deps, "Do not start the service's dependencies");
  cmd->add_option("-e,--env", o->args.env, "Set KEY=VALUE (or KEY, from this environment)")
      ->allow_extra_args(false);  // one value per -e: what follows is SERVICE COMMAND
  cmd->add_option("--entrypoint", o->entrypoint, "Override the image's entrypoint");
  cmd->add_option("-u,--user", o->args.user, "Run as this user");
  cmd->add_option("-w,--workdir", o->args.workdir, "Working directory in the container");
  cmd->add_option("--name", o->args.name, "The container's name");
  cmd->add_option("-v,--volume", o->args.volumes, "Bind mount or volume SOURCE:TARGET[:OPTIONS]")
      ->allow_extra_args(false);
  cmd->add_flag("--build", o->build, "Build the images (the service's and its dependencies')");
  cmd->add_flag("--service-ports", o->service_ports,
                "Publish the service's ports (the pod always does: no effect)");
  cmd->add_option("-p,--publish", o->publish, "Refused: the pod publishes the ports")
      ->allow_extra_args(false);
  cmd->add_flag("--dry-run", o->run.dry_run, "Print the plan and the podman command");
  add_service_command(*cmd, o->what);
  cmd->callback([&ctx, o] {
    if (!o->publish.empty()) {
      // podman publishes ports on the pod, when it creates it, not on a container in a pod.
      std::cerr << "qpod run: -p/--publish: a container in the project's pod cannot publish "
                   "ports of its own (podman publishes them on the pod, when it creates it); add "
                   "the port to the service's ports: and run qpod up\n";
      ctx.exit_code = 1;
      return;
    }
    finish_service_command(o->what);
    if (o->what.service.empty()) {
      std::cerr << "qpod run: give a service: qpod run SERVICE [COMMAND...]\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.exit_code = run_oneoff(ctx, *o, o->what.service, o->what.command);
  });
}

}  // namespace qpod::cli
