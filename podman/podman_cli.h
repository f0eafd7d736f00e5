#pragma once
// The real Runtime: runs `podman ARGV...` with Boost.Process (an argv, never a shell), reads
// stdout and stderr concurrently through asio (two blocking pipes can deadlock), and always
// waits for the child before returning. $QPOD_PODMAN overrides the binary (tests, wrappers).
// Every command gets the global options of remote_options() (podman/remote.h) first:
// `podman --url=URL --connection=NAME ARGV...`.
#include <string>
#include <vector>

#include "podman/runtime.h"

namespace qpod::podman {

class PodmanCli : public Runtime {
 public:
  PodmanCli();
  RunResult run(const std::vector<std::string>& argv) override;
  RunResult stream(const std::vector<std::string>& argv, const LineSink& sink,
                   const std::atomic<bool>* stop = nullptr) override;
  std::string find_program(const std::string& name) override;
  RunResult stream_program(const std::string& path, const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env, const LineSink& sink,
                           const std::atomic<bool>* stop = nullptr) override;
  // containers.conf's and this process's limits (read once); none when podman is remote, as
  // they are this machine's, not podman's.
  HostFacts host_facts() override;
  const std::string& binary() const { return binary_; }  // empty = not found
  const std::vector<std::string>& global_args() const { return global_; }
  // The whole command line of `argv` for a process of its own (exec, run, attach: the terminal
  // inherited): binary(), the global options, argv.
  std::vector<std::string> command_line(const std::vector<std::string>& argv) const;

 private:
  std::vector<std::string> with_globals(const std::vector<std::string>& argv) const;
  std::string binary_;
  std::vector<std::string> global_;
};

}  // namespace qpod::podman
