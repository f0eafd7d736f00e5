// qpod systemd generate: the project's pod and containers as systemd units (systemd/generate.h),
// printed, or written into a folder to install (README: "Start at boot with systemd").
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "podman/gpus.h"
#include "podman/process.h"
#include "systemd/generate.h"

namespace qpod::cli {
namespace {

struct SystemdCli {
  systemd::SystemdOptions gen;
  std::string output;  // -o DIR
};

int run_generate(Context& ctx, SystemdCli& o) {
  auto project = ctx.load_project();
  if (!project) return 1;
  if (std::string podman = podman::find_in_path("podman"); !podman.empty()) {
    std::error_code ec;  // the real file, as podman generate systemd writes its own path
    auto real = std::filesystem::canonical(podman, ec);
    o.gen.podman = ec ? podman : real.string();
  }
  o.gen.rootless = ::geteuid() != 0;
  o.gen.host.gpu_cdi = podman::host_has_gpu_cdi();
  auto units = systemd::generate(*project, *ctx.graph, o.gen);
  if (!units) {
    std::cerr << format(units.errors());
    return 1;
  }
  for (const auto& w : units->warnings) std::cerr << "WARN " << w << "\n";
  if (o.output.empty()) {  // as `podman generate systemd` without --files: one after the other
    bool first = true;
    for (const auto& f : units->files) {
      std::cout << (first ? "" : "\n") << f.text;
      first = false;
    }
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.output, ec);
  if (ec) {
    std::cerr << "cannot create " << o.output << ": " << ec.message() << "\n";
    return 1;
  }
  for (const auto& f : units->files) {  // as `podman generate systemd --files`: each path
    const std::string path = (std::filesystem::path(o.output) / f.name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << f.text;
    out.close();
    if (!out) {
      std::cerr << "cannot write " << path << "\n";
      return 1;
    }
    std::cout << path << "\n";
  }
  return 0;
}

}  // namespace

void add_systemd(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("systemd", "systemd units that bring the project up at boot");
  cmd->require_subcommand(1);
  auto o = std::make_shared<SystemdCli>();
  auto* gen = cmd->add_subcommand(
      "generate", "Print unit files for the project's pod and containers (up's podman commands)");
  gen->add_option("-o,--output", o->output,
                  "Write pod-PROJECT.service and container-NAME.service files into this folder");
  gen->add_option("services", o->gen.services, "Only these services and what they depend on");
  gen->callback([&ctx, o] { ctx.exit_code = run_generate(ctx, *o); });
}

}  // namespace qpod::cli
