// qpod scale SERVICE=N...: `up -d` of those services with that many containers each
// (P-S-1..N in the pod); scaling down removes the highest numbers. As docker compose scale.
#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/engine_cli.h"
#include "cli/scale_args.h"

namespace qpod::cli {

std::string parse_scale(const std::vector<std::string>& args, std::map<std::string, int>& out) {
  for (const auto& arg : args) {
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq), count = eq == std::string::npos ? "" : arg.substr(eq + 1);
    int n = -1;
    auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (name.empty() || ec != std::errc() || end != count.data() + count.size() || n < 0)
      return "invalid scale \"" + arg +
             "\": expected SERVICE=N, N a number of containers (0 or more)";
    out[name] = n;
  }
  return {};
}

namespace {

struct ScaleCli {
  std::vector<std::string> args;
  bool no_deps = false;
  engine::RunOptions run;
};

}  // namespace

void add_scale(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("scale", "Run SERVICE=N containers of each service");
  auto c = std::make_shared<ScaleCli>();
  cmd->add_option("services", c->args, "SERVICE=N, one or more")->required();
  cmd->add_flag("--no-deps", c->no_deps, "Do not start the services' dependencies");
  cmd->add_flag("--dry-run", c->run.dry_run, "Print the plan; change nothing");
  cmd->callback([&ctx, c] {
    engine::UpOptions up;
    if (auto bad = parse_scale(c->args, up.scale); !bad.empty()) {
      std::cerr << bad << "\n";
      ctx.exit_code = 1;
      return;
    }
    for (const auto& [name, n] : up.scale) up.services.push_back(name);
    up.no_deps = c->no_deps;
    ctx.exit_code = run_engine_command(
        ctx, c->run, {ProjectNeed::File, true, up.services}, [&](EngineSession& s) {
          return engine::up(s.project, s.rt, s.progress, up, s.run, s.out);
        });
  });
}

}  // namespace qpod::cli
