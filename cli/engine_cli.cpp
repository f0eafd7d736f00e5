#include "cli/engine_cli.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

namespace qpod::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_signal(int) { g_cancel.store(true); }

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

}  // namespace qpod::cli
