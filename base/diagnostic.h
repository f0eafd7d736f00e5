#pragma once
// A Diagnostic is one user-facing problem: where it is (file:line:col and key path) and what.
#include <string>
#include <vector>

namespace qpod {

struct Diagnostic {
  std::string file;  // empty = no file (command line, environment)
  int line = 0;      // 1-based, 0 = unknown
  int col = 0;       // 1-based, 0 = unknown
  std::string path;  // key path, e.g. "services.web.ports[1]"
  std::string message;
  bool warning = false;
  bool operator==(const Diagnostic&) const = default;
};

using Diagnostics = std::vector<Diagnostic>;

// "compose.yaml:12:9: services.web.ports[1]: expected ..." (parts that are unknown are left out).
std::string format(const Diagnostic& d);
std::string format(const Diagnostics& ds);  // one per line
bool has_errors(const Diagnostics& ds);

}  // namespace qpod
