#include "cli/engine_cli.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "engine/lock.h"

namespace qpod::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_signal(int) { g_cancel.store(true); }

void say_waiting(const std::string& project) {
  std::cerr << "waiting for another qpod command on project " << project << " to finish\n";
}

}  // namespace

std::optional<compose::Project> project_or_name(Context& ctx) {
  if (ctx.load.project_name.empty()) return ctx.load_project();
  auto project = compose::load_project(ctx.load);
  if (project) return std::move(project).value();
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

int run_engine_command(Context& ctx, engine::RunOptions& run, const EngineCommandOptions& o,
                       const std::function<int(EngineSession&)>& body) {
  auto project = o.need == ProjectNeed::File ? ctx.load_project() : project_or_name(ctx);
  if (!project) return 1;
  for (const auto& s : o.services) {
    if (!project->services.count(s)) {
      std::cerr << "no such service: " << s << "\n";
      return 1;
    }
  }
  std::optional<engine::ProjectLock> lock;
  if (o.lock && !run.dry_run) {
    try {
      lock.emplace(project->name, say_waiting);
    } catch (const std::exception& e) {
      std::cerr << "Error: " << e.what() << "\n";
      return 1;
    }
  }
  engine::PodmanCli rt;
  engine::StreamProgress progress(std::cout, std::cerr);
  run.cancel = cancel_on_signal();
  EngineSession session{*project, rt, progress, run, std::cout};
  return body(session);
}

}  // namespace qpod::cli
