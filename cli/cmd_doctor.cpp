// qpod doctor: checks podman, its runtime and containers.conf; prints each check with its fix.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/context.h"
#include "engine/doctor.h"
#include "podman/podman_cli.h"

namespace qpod::cli {
namespace {

int run_doctor() {
  std::vector<std::string> texts;
  for (const auto& file : podman::containers_conf_files()) {
    std::ifstream in(file);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  podman::PodmanCli rt;
  int failed = 0;
  for (const auto& c : engine::doctor(rt, podman::parse_containers_conf(texts))) {
    const char* status = c.status == engine::Check::Status::Ok     ? "OK  "
                         : c.status == engine::Check::Status::Skip ? "SKIP"
                                                                   : "FAIL";
    std::cout << status << " " << c.name << ": " << c.detail << "\n";
    if (c.status == engine::Check::Status::Fail) {
      ++failed;
      std::cout << "     fix: " << c.fix << "\n";
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

void add_doctor(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("doctor", "Check that podman is ready to run projects");
  cmd->callback([&ctx] { ctx.exit_code = run_doctor(); });
}

}  // namespace qpod::cli
