#pragma once
// Runs one program with an argv (never a shell) and waits for it: Boost.Process, stdout and
// stderr read concurrently through asio, the child always reaped. Used by PodmanCli (and by the
// integration tests to run the qpod binary).
#include <map>
#include <string>
#include <vector>

#include "podman/runtime.h"

namespace qpod::podman {

// `binary` is a path; `cwd` empty = the current directory. exit_code 127 = could not start.
RunResult run_process(const std::string& binary, const std::vector<std::string>& argv,
                      const std::string& cwd = {});
// `stop` set: the child is killed and the call returns (exit code as the kill left it).
// `env` given: the child's whole environment (else it inherits this process's).
RunResult stream_process(const std::string& binary, const std::vector<std::string>& argv,
                         const LineSink& sink, const std::atomic<bool>* stop = nullptr,
                         const std::map<std::string, std::string>* env = nullptr);
std::string find_in_path(const std::string& name);  // empty = not found

}  // namespace qpod::podman
