#include "podman/runtime.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "base/text.h"
#include "podman/failure_line.h"

namespace qpod::podman {

RunResult Runtime::stream(const std::vector<std::string>& argv, const LineSink& sink,
                          const std::atomic<bool>*) {
  RunResult r = run(argv);
  for (const auto& line : split_lines(r.out)) sink(line, false);
  for (const auto& line : split_lines(r.err)) sink(line, true);
  return {r.exit_code, {}, {}};
}

std::string Runtime::find_program(const std::string&) { return {}; }

RunResult Runtime::stream_program(const std::string& path, const std::vector<std::string>&,
                                  const std::map<std::string, std::string>&, const LineSink&,
                                  const std::atomic<bool>*) {
  return {127, {}, "cannot run " + path + ": this runtime runs only podman"};
}

HostFacts Runtime::host_facts() { return {}; }

std::string join_argv(const std::vector<std::string>& argv) { return join(argv, " "); }

namespace {

// Environment and build-arg values may be secrets: only their keys are shown.
std::vector<std::string> masked(const std::vector<std::string>& argv) {
  std::vector<std::string> shown = argv;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    std::string& a = shown[i];
    const bool after_flag =
        i > 0 && (shown[i - 1] == "--env" || shown[i - 1] == "-e" || shown[i - 1] == "--build-arg");
    std::size_t value_at = std::string::npos;
    if (after_flag)
      value_at = a.find('=');
    else if (a.starts_with("--env=") || a.starts_with("-e=") || a.starts_with("--build-arg="))
      value_at = a.find('=', a.find('=') + 1);
    if (value_at != std::string::npos) a = a.substr(0, value_at + 1) + "***";
  }
  return shown;
}

// As a POSIX shell reads it back: plain when safe, else in single quotes ('' when empty).
std::string shell_quoted(const std::string& a) {
  auto plain = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
  };
  if (!a.empty() && std::all_of(a.begin(), a.end(), plain)) return a;
  std::string out = "'";
  for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string loggable_argv(const std::vector<std::string>& argv) {
  std::vector<std::string> shown = masked(argv);
  for (auto& a : shown) a = shell_quoted(a);
  return join_argv(shown);
}

std::string describe_failure(const std::vector<std::string>& argv, const RunResult& r) {
  return "podman " + join_argv(masked(argv)) + " failed (exit " + std::to_string(r.exit_code) +
         "): " + trim(r.err);
}

std::string brief_failure(const std::vector<std::string>& argv, const RunResult& r) {
  std::string command = "podman";
  for (std::size_t i = 0; i < argv.size() && i < 2; ++i) {
    command += " " + argv[i];
    if (argv[i] != "pod" && argv[i] != "network" && argv[i] != "volume" && argv[i] != "image" &&
        argv[i] != "container" && argv[i] != "healthcheck")
      break;
  }
  std::string line = failure_line(r);
  return command + " failed (exit " + std::to_string(r.exit_code) + ")" +
         (line.empty() ? "" : ": " + line);
}

}  // namespace qpod::podman
