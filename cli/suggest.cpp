#include "cli/suggest.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>

namespace qpod::cli {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

int edit_distance(const std::string& a0, const std::string& b0) {
  const std::string a = lower(a0), b = lower(b0);
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> suggestions(const std::string& word,
                                     const std::vector<std::string>& candidates) {
  // Without the dashes, so "-x" is not 1 edit from every short flag.
  auto bare = [](const std::string& s) {
    const auto start = s.find_first_not_of('-');
    return start == std::string::npos ? std::string() : s.substr(start);
  };
  const std::string w = bare(word);
  const int max = w.size() <= 3 ? 1 : 2;
  std::vector<std::pair<int, std::string>> near;
  for (const auto& c : candidates) {
    const std::string b = bare(c);
    if (b.size() <= 1 || w.empty()) continue;  // a one-letter name is near too much
    const int d = edit_distance(w, b);
    if (d <= max || (w.size() >= 2 && lower(b).starts_with(lower(w)))) near.emplace_back(d, c);
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [d, c] : near)
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto s = suggestions(word, candidates);
  if (s.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? " or " : "") + s[i];
  return out + "?)";
}

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
