#include "engine/runtime.h"

#include <sstream>

#include "engine/text.h"

namespace qpod::engine {
namespace {

void split_lines(const std::string& text, bool is_err, const LineSink& sink) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) sink(line, is_err);
}

}  // namespace

RunResult Runtime::stream(const std::vector<std::string>& argv, const LineSink& sink,
                          const std::atomic<bool>*) {
  RunResult r = run(argv);
  split_lines(r.out, false, sink);
  split_lines(r.err, true, sink);
  return {r.exit_code, {}, {}};
}

std::string join_argv(const std::vector<std::string>& argv) { return join(argv, " "); }

std::string describe_failure(const std::vector<std::string>& argv, const RunResult& r) {
  return "podman " + join_argv(argv) + " failed (exit " + std::to_string(r.exit_code) +
         "): " + trim(r.err);
}

}  // namespace qpod::engine
