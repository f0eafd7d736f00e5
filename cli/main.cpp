// qpod: a compose-style orchestrator for Podman. Global flags, then one subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/suggest.h"
#include "env/shims.h"
#include "podman/remote.h"

int main(int argc, char** argv) {
  // Started through a shim (a link named after a binary): run as `qpod exec-env -- NAME ARGS...`.
  std::vector<std::string> shim = qpod::env::shim_args(argc, argv);
  std::vector<char*> shim_argv;
  for (auto& a : shim) shim_argv.push_back(a.data());
  if (!shim.empty()) {
    argc = static_cast<int>(shim_argv.size());
    argv = shim_argv.data();
  }
  qpod::cli::Context ctx;
  CLI::App app{"qpod: run Compose projects and QPOD environments on Podman, one pod each"};
  app.name("qpod");  // the usage line says qpod, not the binary's path
  app.set_version_flag("-v,--version", std::string("qpod version ") + QPOD_VERSION);
  app.require_subcommand(0, 1);  // none: the help, exit 0, as `docker compose` alone
  app.add_option("-f,--file", ctx.load.files, "Compose configuration files (repeatable)");
  app.add_option("-p,--project-name", ctx.load.project_name, "Project name");
  app.add_option("--project-directory", ctx.load.project_directory,
                 "Project directory (default: the first file's folder)");
  app.add_option("--env-file", ctx.load.env_files, "Environment files (repeatable)");
  app.add_option("--profile", ctx.load.profiles, "Profiles to enable (repeatable)");
  app.add_option("--ansi", ctx.ansi, "Control characters: never, always or auto")
      ->check(CLI::IsMember({"never", "always", "auto"}));
  app.add_option("--log-level", ctx.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  // Remote podman: before every podman command qpod runs (README, "Remote podman").
  qpod::podman::RemoteOptions remote;
  app.add_option("--url", remote.url,
                 "Podman's URL, e.g. ssh://user@host/run/user/1000/podman/podman.sock");
  app.add_option("--connection", remote.connection, "A podman system connection's name");
  app.add_option("--identity", remote.identity, "The SSH key for --url");

  qpod::cli::add_config(app, ctx);
  qpod::cli::add_env_commands(app, ctx);
  qpod::cli::add_up(app, ctx);
  qpod::cli::add_scale(app, ctx);
  qpod::cli::add_down(app, ctx);
  qpod::cli::add_ps(app, ctx);
  qpod::cli::add_doctor(app, ctx);
  qpod::cli::add_lifecycle_commands(app, ctx);
  qpod::cli::add_build(app, ctx);
  qpod::cli::add_pull(app, ctx);
  qpod::cli::add_logs(app, ctx);
  qpod::cli::add_container_commands(app, ctx);
  qpod::cli::add_query_commands(app, ctx);
  qpod::cli::add_watch(app, ctx);
  qpod::cli::add_exec(app, ctx);
  qpod::cli::add_run(app, ctx);
  qpod::cli::add_service(app, ctx);
  qpod::cli::add_kube(app, ctx);
  qpod::cli::add_create(app, ctx);
  qpod::cli::add_systemd(app, ctx);
  qpod::cli::add_container_io_commands(app, ctx);  // cp, attach, stats, events, volumes
  qpod::cli::add_help_commands(app, ctx);          // help [COMMAND], version
  qpod::cli::add_completion_commands(app, ctx);    // last: it lists the commands above

  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("qpod", sink));
  spdlog::set_pattern("%^%l%$: %v");
  app.parse_complete_callback([&] {
    qpod::podman::set_remote_options(remote);
    spdlog::set_level(spdlog::level::from_str(ctx.log_level));
    if (ctx.ansi == "always")
      sink->set_color_mode(spdlog::color_mode::always);
    else if (ctx.ansi == "never" || qpod::cli::no_color())
      sink->set_color_mode(spdlog::color_mode::never);
  });
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) std::cout << app.help();
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return qpod::cli::report_parse_error(app, e);
  } catch (const std::exception& e) {
    std::cerr << "qpod: internal error: " << e.what() << "\n";
    return 2;
  }
  return ctx.exit_code;
}
