#include "podman/podman_cli.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>

#include "podman/process.h"
#include "podman/remote.h"

namespace qpod::podman {
namespace {

std::string find_podman() {
  if (const char* env = std::getenv("QPOD_PODMAN"); env && *env) return env;
  return find_in_path("podman");
}

RunResult not_found() {
  return {127, {}, "cannot run podman: not found in PATH (is podman installed?)"};
}

}  // namespace

PodmanCli::PodmanCli() : binary_(find_podman()), global_(podman::global_args(remote_options())) {}

std::vector<std::string> PodmanCli::with_globals(const std::vector<std::string>& argv) const {
  if (global_.empty()) return argv;
  std::vector<std::string> out = global_;
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::vector<std::string> PodmanCli::command_line(const std::vector<std::string>& argv) const {
  std::vector<std::string> out{binary_};
  out.insert(out.end(), global_.begin(), global_.end());
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

HostFacts PodmanCli::host_facts() {
  if (podman_is_remote()) return {};
  static const HostFacts limits = read_host_facts();
  return limits;
}

RunResult PodmanCli::run(const std::vector<std::string>& argv) {
  if (binary_.empty()) return not_found();
  spdlog::trace("podman {}", loggable_argv(argv));
  auto start = std::chrono::steady_clock::now();
  RunResult r = run_process(binary_, with_globals(argv));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  spdlog::trace("podman {} -> exit {} ({} ms)", argv.empty() ? "" : argv[0], r.exit_code, ms);
  return r;
}

RunResult PodmanCli::stream(const std::vector<std::string>& argv, const LineSink& sink,
                            const std::atomic<bool>* stop) {
  if (binary_.empty()) return not_found();
  spdlog::trace("podman {}", loggable_argv(argv));
  return stream_process(binary_, with_globals(argv), sink, stop);
}

std::string PodmanCli::find_program(const std::string& name) { return find_in_path(name); }

RunResult PodmanCli::stream_program(const std::string& path, const std::vector<std::string>& argv,
                                    const std::map<std::string, std::string>& env,
                                    const LineSink& sink, const std::atomic<bool>* stop) {
  spdlog::trace("{} {}", path, loggable_argv(argv));
  return stream_process(path, argv, sink, stop, &env);
}

}  // namespace qpod::podman
