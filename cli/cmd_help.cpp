// qpod help [COMMAND...] and qpod version [--short], as docker compose has them.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/suggest.h"

namespace qpod::cli {
namespace {

// `help service logs`: the help of that command, "Usage: qpod service logs ..."; 1 if unknown.
int print_help(CLI::App& app, const std::vector<std::string>& path) {
  CLI::App* cmd = &app;
  std::string name = app.get_name();
  for (const auto& word : path) {
    CLI::App* sub = nullptr;
    for (CLI::App* s : cmd->get_subcommands([](CLI::App*) { return true; }))
      if (s->check_name(word)) sub = s;
    if (!sub) {
      std::vector<std::string> names;
      for (CLI::App* s : cmd->get_subcommands([](CLI::App*) { return true; }))
        names.push_back(s->get_name());
      std::cerr << name << ": unknown command \"" << word << "\"" << did_you_mean(word, names)
                << "\n";
      return 1;
    }
    cmd = sub;
    name += " " + sub->get_name();
  }
  std::cout << cmd->get_formatter()->make_help(cmd, name, CLI::AppFormatMode::Normal);
  return 0;
}

}  // namespace

void add_help_commands(CLI::App& app, Context& ctx) {
  auto* help = app.add_subcommand("help", "Show the help of qpod or of a command");
  auto path = std::make_shared<std::vector<std::string>>();
  help->add_option("command", *path, "The command, e.g. up or service logs");
  help->callback([&app, &ctx, path] { ctx.exit_code = print_help(app, *path); });

  auto* version = app.add_subcommand("version", "Show qpod's version");
  auto short_only = std::make_shared<bool>(false);
  version->add_flag("--short", *short_only, "Print the version number alone");
  version->callback(
      [short_only] { std::cout << (*short_only ? "" : "qpod version ") << QPOD_VERSION << "\n"; });
}

}  // namespace qpod::cli
