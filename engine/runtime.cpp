#include "engine/runtime.h"

#include <sstream>

namespace qpod::engine {
namespace {

void split_lines(const std::string& text, bool is_err, const LineSink& sink) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) sink(line, is_err);
}

}  // namespace

RunResult Runtime::stream(const std::vector<std::string>& argv, const LineSink& sink) {
  RunResult r = run(argv);
  split_lines(r.out, false, sink);
  split_lines(r.err, true, sink);
  return {r.exit_code, {}, {}};
}

std::string join_argv(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

}  // namespace qpod::engine
