#include "cli/suggest.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>

namespace qpod::cli {
namespace {

std::vector<std::string> flag_names(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> command_names(CLI::App& cmd) {
  std::vector<std::string> out;
  for (CLI::App* sub : cmd.get_subcommands([](CLI::App*) { return true; }))
    out.push_back(sub->get_name());
  return out;
}

// "qpod up" for up, "qpod" for the app.
std::string full_name(const CLI::App& cmd) {
  std::string name = cmd.get_name();
  for (const CLI::App* p = cmd.get_parent(); p; p = p->get_parent())
    name = p->get_name() + " " + name;
  return name;
}

}  // namespace

std::string unknown_flag_message(const CLI::App& cmd, const std::string& flag) {
  const std::string name = flag.substr(0, flag.find('='));
  return "unknown flag: " + name + did_you_mean(name, flag_names(cmd));
}

int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  // The command the error belongs to: the first one, from qpod down, left with words it does not
  // know (CLI11 checks in that order), else the deepest one parsed.
  CLI::App* cmd = &app;
  while (cmd->remaining(false).empty() && !cmd->get_subcommands().empty())
    cmd = cmd->get_subcommands().front();
  const std::string name = full_name(*cmd);
  std::vector<std::string> extra = cmd->remaining(false);
  if (!extra.empty() && extra.front().starts_with("-") && extra.front() != "-") {
    std::cerr << name << ": " << unknown_flag_message(*cmd, extra.front()) << "\n";
  } else if (!extra.empty() && cmd->get_subcommands([](CLI::App*) { return true; }).size() > 0) {
    std::cerr << name << ": unknown command \"" << extra.front() << "\""
              << did_you_mean(extra.front(), command_names(*cmd)) << "\n";
  } else {
    std::cerr << name << ": " << e.what() << "\n";
  }
  std::cerr << "Run '" << name << " --help' for usage.\n";
  return 1;
}

}  // namespace qpod::cli
