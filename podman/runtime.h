#pragma once
// The seam between the engine and podman: an argv in (without the leading "podman"), exit code
// and output back. PodmanCli runs the real binary; tests use a FakeRuntime. Implementations are
// called from several executor threads at once and must be thread-safe.
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "podman/host_facts.h"

namespace qpod::podman {

struct RunResult {
  int exit_code = 0;  // 127 = podman could not be started
  std::string out, err;
  bool ok() const { return exit_code == 0; }
};

// One line of a streamed command's output; `is_err` = it came from stderr.
using LineSink = std::function<void(const std::string& line, bool is_err)>;

class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual RunResult run(const std::vector<std::string>& argv) = 0;
  // Runs argv and hands each output line to `sink` as it arrives (for `logs -f`, `run`).
  // Returns the exit code; out and err are left empty. By default: run(), then the lines.
  // `stop` set ends the command early (killed): `logs -f` on Ctrl-C.
  virtual RunResult stream(const std::vector<std::string>& argv, const LineSink& sink,
                           const std::atomic<bool>* stop = nullptr);
  // Another program than podman: a provider service's (engine/provider.h). find_program gives
  // the path of `name` in PATH (empty = not found); stream_program runs `path` with argv as
  // stream() does, with exactly the environment `env` (not qpod's own). By default there is
  // none (empty, exit 127).
  virtual std::string find_program(const std::string& name);
  virtual RunResult stream_program(const std::string& path, const std::vector<std::string>& argv,
                                   const std::map<std::string, std::string>& env,
                                   const LineSink& sink, const std::atomic<bool>* stop = nullptr);
  // The limits of the machine podman runs on that a container's flags need (podman_argv's
  // container_create). By default none.
  virtual HostFacts host_facts();
};

// "pod create --name demo": argv joined with single spaces (for logs, errors and tests).
std::string join_argv(const std::vector<std::string>& argv);
// For logs (--log-level trace): each element shell-quoted when it needs it (an empty one as
// '', one with spaces in quotes), the values of --env and --build-arg masked as "KEY=***".
std::string loggable_argv(const std::vector<std::string>& argv);
// "podman start web failed (exit 125): Error: ..." (podman's stderr, trimmed). The values of
// --env and --build-arg are shown as "KEY=***": they may be secrets.
std::string describe_failure(const std::vector<std::string>& argv, const RunResult& r);
// The short form for the user: "podman start failed (exit 125): Error: ..." with the command
// (not its arguments) and podman/failure_line.h's line (the last "Error:" line of stderr...).
// describe_failure's whole argv is for the debug log.
std::string brief_failure(const std::vector<std::string>& argv, const RunResult& r);

}  // namespace qpod::podman
