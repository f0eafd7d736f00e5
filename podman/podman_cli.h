#pragma once
// The real Runtime: runs `podman ARGV...` with Boost.Process (an argv, never a shell), reads
// stdout and stderr concurrently through asio (two blocking pipes can deadlock), and always
// waits for the child before returning. $QPOD_PODMAN overrides the binary (tests, wrappers).
#include <string>

#include "podman/runtime.h"

namespace qpod::engine {

class PodmanCli : public Runtime {
 public:
  PodmanCli();
  RunResult run(const std::vector<std::string>& argv) override;
  RunResult stream(const std::vector<std::string>& argv, const LineSink& sink,
                   const std::atomic<bool>* stop = nullptr) override;
  std::string find_program(const std::string& name) override;
  RunResult stream_program(const std::string& path, const std::vector<std::string>& argv,
                           const LineSink& sink, const std::atomic<bool>* stop = nullptr) override;
  // containers.conf's and this process's limits (read once).
  HostLimits host_limits() override;
  const std::string& binary() const { return binary_; }  // empty = not found

 private:
  std::string binary_;
};

}  // namespace qpod::engine
