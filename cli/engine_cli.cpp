#include "cli/engine_cli.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "base/suggest.h"
#include "compose/discover.h"
#include "engine/lock.h"
#include "engine/progress_tty.h"
#include "env/input.h"

namespace qpod::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<bool> g_force{false};
std::atomic<int> g_signal{0};  // the first signal: the exit code is 128 + it

extern "C" void on_signal(int sig) {
  int none = 0;
  g_signal.compare_exchange_strong(none, sig);
  if (g_cancel.exchange(true)) g_force.store(true);
}

}  // namespace

void say_waiting(const std::string& project) {
  std::cerr << "waiting for another qpod command on project " << project << " to finish\n";
}

std::string no_such_service(const compose::Project& p, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& [n, s] : p.services) names.push_back(n);
  return "no such service: " + name + did_you_mean(name, names);
}

std::optional<compose::Project> project_or_name(Context& ctx) {
  if (ctx.load.project_name.empty()) return ctx.load_project();
  if (!ctx.read_stdin_file()) return std::nullopt;
  env::prepare_load(ctx.load);  // a QPOD template is the project's file here too
  auto project = compose::load_project(ctx.load);
  if (project) return std::move(project).value();
  // The name reaches podman as an argument (`pod rm NAME`): it must be a project name.
  if (compose::normalize_project_name(ctx.load.project_name) != ctx.load.project_name) {
    std::cerr << "-p: invalid project name \"" << ctx.load.project_name
              << "\": use lower-case letters, digits, '-' and '_', starting with a letter or "
                 "digit\n";
    return std::nullopt;
  }
  spdlog::warn("cannot load the project ({}); working on project {} by its labels",
               project.errors().empty() ? "" : project.errors().front().message,
               ctx.load.project_name);
  compose::Project p;
  p.name = ctx.load.project_name;
  return p;
}

const std::atomic<bool>* cancel_on_signal() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return &g_cancel;
}

const std::atomic<bool>* force_on_second_signal() { return &g_force; }

bool use_ansi(const Context& ctx) {
  return ctx.ansi == "always" || (ctx.ansi == "auto" && !no_color() && ::isatty(STDOUT_FILENO));
}

int run_engine_command(Context& ctx, engine::RunOptions& run, const EngineCommandOptions& o,
                       const std::function<int(EngineSession&)>& body) {
  auto project = o.need == ProjectNeed::File ? ctx.load_project() : project_or_name(ctx);
  if (!project) return 1;
  for (const auto& s : o.services) {
    if (!project->services.count(s)) {
      std::cerr << no_such_service(*project, s) << "\n";
      return 1;
    }
  }
  std::optional<engine::ProjectLock> lock;
  if (o.lock && !run.dry_run) {
    auto held = engine::ProjectLock::acquire(project->name, say_waiting);
    if (!held) {
      for (const auto& e : held.errors()) std::cerr << "Error: " << format(e) << "\n";
      return 1;
    }
    lock.emplace(std::move(*held));
  }
  podman::PodmanCli rt;
  bool ansi = use_ansi(ctx);
  std::unique_ptr<engine::Progress> progress;
  if (ansi)
    progress = std::make_unique<engine::TtyProgress>(std::cout, std::cerr);
  else
    progress = std::make_unique<engine::StreamProgress>(std::cout, std::cerr);
  run.cancel = cancel_on_signal();
  run.signal = &g_signal;
  EngineSession session{*project, rt, *progress, run, std::cout, ansi};
  return body(session);
}

}  // namespace qpod::cli
