// QPOD environment commands: init, shims, hook, exec-env.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "compose/discover.h"
#include "compose/template.h"
#include "engine/command_watch.h"
#include "engine/interactive.h"
#include "engine/progress.h"
#include "env/git_root.h"
#include "env/input.h"
#include "env/route.h"
#include "env/session.h"
#include "env/shims.h"
#include "podman/podman_cli.h"
#include "podman/remote.h"

namespace fs = std::filesystem;

namespace qpod::cli {
namespace {

std::optional<std::string> git_root_here(const Context& ctx) {
  std::error_code ec;
  return env::find_git_root(ctx.load.working_dir.empty() ? fs::current_path(ec).string()
                                                         : ctx.load.working_dir);
}

// One argv element as a reader would type it (display only: commands run from argv vectors).
std::string quoted(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./:=@%+,") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + quoted(a);
  return out;
}

// ---- init ----------------------------------------------------------------------------------

struct InitOptions {
  std::string template_name, image;
  bool force = false;
};

int run_init(const Context& ctx, const InitOptions& o) {
  auto root = git_root_here(ctx);
  if (!root) {
    std::cerr << "qpod init: not in a git repository (no .git here or in a parent folder)\n";
    return 1;
  }
  if (auto existing = compose::find_template(*root); existing && !o.force) {
    std::cerr << "qpod init: " << *existing << " exists already (--force replaces it)\n";
    return 1;
  }
  const fs::path dir = fs::path(*root) / ".qpod";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "qpod init: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return 1;
  }
  fs::path written;
  if (!o.template_name.empty()) {
    auto source = env::find_named_template(o.template_name, compose::process_environment());
    if (!source) {
      std::cerr << "qpod init: no template \"" << o.template_name
                << "\" in $XDG_CONFIG_HOME/qpod/templates (default ~/.config/qpod/templates): "
                   "expected NAME.json or NAME.yaml there\n";
      return 1;
    }
    const std::string ext = fs::path(*source).extension() == ".json" ? ".json" : ".yaml";
    for (const char* old : {"template.json", "template.yaml", "template.yml"})
      fs::remove(dir / old, ec);
    written = dir / ("template" + ext);
    fs::copy_file(*source, written, fs::copy_options::overwrite_existing, ec);
  } else {
    if (o.image.empty()) {
      std::cerr << "qpod init: give --template NAME or --image IMAGE\n";
      return 1;
    }
    nlohmann::ordered_json t;
    t["name"] = compose::normalize_project_name(fs::path(*root).filename().string());
    t["image"] = o.image;
    t["binaries"] = nlohmann::ordered_json::array();
    written = dir / "template.json";
    std::ofstream(written) << t.dump(2) << "\n";
  }
  if (ec) {
    std::cerr << "qpod init: cannot write " << written.string() << ": " << ec.message() << "\n";
    return 1;
  }
  std::cout << written.string() << "\n";
  return 0;
}

// ---- shims ---------------------------------------------------------------------------------

int run_shims(Context& ctx, const std::string& dir_option) {
  auto project = ctx.load_project();
  if (!project) return 1;
  if (!project->qpod || project->qpod->git_root.empty()) {
    std::cerr << "qpod shims: not in a QPOD environment (a git repository with "
                 ".qpod/template.json, or x-qpod in its Compose file)\n";
    return 1;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "qpod shims: cannot find the qpod executable: " << ec.message() << "\n";
    return 1;
  }
  const std::string dir = dir_option.empty() ? env::default_shims_dir(project->qpod->git_root)
                                             : fs::absolute(dir_option).lexically_normal().string();
  auto names = env::create_shims(*project->qpod, dir, exe.string());
  if (!names) {
    std::cerr << format(names.errors());
    return 1;
  }
  for (const auto& n : *names) std::cout << (fs::path(dir) / n).string() << "\n";
  return 0;
}

// ---- exec-env ------------------------------------------------------------------------------

struct ExecOptions {
  bool dry_run = false;
  std::vector<std::string> argv;
};

// The command in the environment's pod: by `podman exec` in the kept-running environment
// container (the default), or by its own `podman run --rm` (QPOD_ENV_MODE=run, or a binary with
// runArgs). The pod and the services the command needs come first.
int run_in_container(Context& ctx, const compose::Project& project, const env::Decision& d,
                     const std::string& cwd, const ExecOptions& o) {
  env::RunContext rc;
  rc.cwd = cwd;
  rc.stdin_tty = isatty(STDIN_FILENO) == 1;
  rc.rootless = geteuid() != 0;
  rc.uid = getuid();
  rc.gid = getgid();
  const char* mode = std::getenv("QPOD_ENV_MODE");
  const bool use_exec = env::can_exec(d) && !(mode && std::string(mode) == "run");
  std::optional<std::vector<std::string>> create;
  std::vector<std::string> argv;
  std::string marker;  // exec: the --env entry that finds the command's process for signals
  if (use_exec) {
    auto c = env::env_container_create(project, rc);
    if (!c) {
      std::cerr << format(c.errors());
      return 1;
    }
    create = std::move(c).value();
    marker = o.dry_run ? "" : env::exec_marker();
    argv = env::env_exec_argv(project, d, rc, o.argv, marker);
  } else {
    auto r = env::container_argv(project, d, rc, o.argv);
    if (!r) {
      std::cerr << format(r.errors());
      return 1;
    }
    argv = std::move(r).value();
  }
  const auto services = env::services_for(project, d);
  if (o.dry_run) {
    std::cout << "container: " << d.reason << "\n";
    if (!services.empty()) std::cout << "services: " << joined(services) << "\n";
    // The podman commands as they would run: the global options (--url...) after "podman".
    auto shown = [](const std::vector<std::string>& a) {
      return joined(podman::shown_command_line(a));
    };
    if (create) std::cout << shown(*create) << "\n";
    std::cout << shown(argv) << "\n";
    return 0;
  }
  podman::PodmanCli rt;
  if (rt.binary().empty() || access(rt.binary().c_str(), X_OK) != 0) {
    std::cerr << "qpod: podman is not installed (run `qpod doctor`)\n";
    return 127;
  }
  if (env::prepare_environment(project, *ctx.graph, rt, services, create, std::cerr, say_waiting) !=
      0)
    return 1;
  argv = rt.command_line(argv);  // podman, --url..., argv
  engine::InteractiveOptions io;
  if (use_exec)
    io = engine::podman_exec_options(marker, !rc.stdin_tty);
  else
    io.own_process_group = !rc.stdin_tty;
  // The running services whose watched files the command changed restart after it (on
  // stderr: the command's output stays its own); the command's exit code stays qpod's.
  const engine::CommandWatch watched(project);
  const int code = engine::run_interactive(rt.binary(), argv, io);
  engine::StreamProgress progress(std::cerr, std::cerr);
  watched.finish(rt, progress, {}, std::cerr);
  return code;
}

int run_exec_env(Context& ctx, const ExecOptions& o) {
  std::error_code ec;
  const fs::path here =
      ctx.load.working_dir.empty() ? fs::current_path(ec) : fs::absolute(ctx.load.working_dir, ec);
  const std::string cwd = here.lexically_normal().string();
  const auto root = git_root_here(ctx);
  std::optional<compose::Project> project;
  if (root) {
    compose::LoadOptions probe = ctx.load;
    env::prepare_load(probe);
    if (!probe.template_file.empty() || compose::discover(probe)) {
      project = ctx.load_project();
      if (!project) return 1;
    }
  }
  const char* path = std::getenv("PATH");
  const char* force = std::getenv("QPOD_CONTAINER");
  env::RouteInput in;
  in.argv0 = o.argv[0];
  in.git_root = root.value_or("");
  in.force_container = force && std::string(force) == "1";
  in.program = env::resolve_program(o.argv[0], path ? path : "", cwd,
                                    root ? env::default_shims_dir(*root) : "");
  const compose::QpodEnvironment* qenv = project && project->qpod ? &*project->qpod : nullptr;
  // A declared binary that no PATH folder has may be a script at the repository's root
  // (`build.sh` typed through its shim): that file, which the container sees at the same path.
  if (in.program.empty() && qenv && o.argv[0].find('/') == std::string::npos &&
      std::any_of(qenv->binaries.begin(), qenv->binaries.end(),
                  [&](const compose::QpodBinary& b) { return b.name == o.argv[0]; })) {
    const std::string at_root = (fs::path(*root) / o.argv[0]).string();
    if (env::is_executable_file(at_root)) in.program = at_root;
  }
  env::Decision d = env::route(qenv, in);

  if (d.where == env::Where::kContainer) return run_in_container(ctx, *project, d, cwd, o);
  if (o.dry_run) {
    std::cout << "host: " << d.reason << "\n" << (d.program.empty() ? "(not found)" : d.program);
    for (std::size_t i = 1; i < o.argv.size(); ++i) std::cout << " " << quoted(o.argv[i]);
    std::cout << "\n";
    return 0;
  }
  if (d.program.empty()) {
    std::cerr << "qpod: " << o.argv[0] << ": command not found\n";
    return 127;
  }
  std::vector<char*> argv;
  std::vector<std::string> args = o.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execv(d.program.c_str(), argv.data());
  std::cerr << "qpod: cannot run " << d.program << ": " << std::strerror(errno) << "\n";
  return 126;
}

}  // namespace

void add_env_commands(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", "Create .qpod/template.json in this git repository");
  auto io = std::make_shared<InitOptions>();
  init->add_option("--template", io->template_name,
                   "Copy the named template $XDG_CONFIG_HOME/qpod/templates/NAME.json");
  init->add_option("--image", io->image, "Without --template: write a minimal template");
  init->add_flag("--force", io->force, "Replace an existing template");
  init->callback([&ctx, io] { ctx.exit_code = run_init(ctx, *io); });

  auto* shims = app.add_subcommand("shims", "Create one link to qpod per declared binary");
  auto dir = std::make_shared<std::string>();
  shims->add_option("dir", *dir, "Folder (default: <git root>/.qpod/shims)");
  shims->callback([&ctx, dir] { ctx.exit_code = run_shims(ctx, *dir); });

  auto* hook = app.add_subcommand("hook", "Print the shell hook: eval \"$(qpod hook bash)\"");
  auto shell = std::make_shared<std::string>();
  hook->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  hook->callback([&ctx, shell] {
    std::cout << env::hook_script(*shell).value_or("");
    ctx.exit_code = 0;
  });

  auto* exec = app.add_subcommand("exec-env", "Run a command where the environment runs it");
  auto eo = std::make_shared<ExecOptions>();
  exec->add_flag("--dry-run", eo->dry_run, "Print the decision and the command; run nothing");
  exec->add_option("command", eo->argv, "The command and its arguments (after --)")->required();
  exec->callback([&ctx, eo] { ctx.exit_code = run_exec_env(ctx, *eo); });
}

}  // namespace qpod::cli
