#include "base/diagnostic.h"

#include <fmt/format.h>

namespace qpod {

std::string format(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    if (d.line > 0) out += fmt::format(":{}:{}", d.line, d.col);
    out += ": ";
  }
  if (d.warning) out += "warning: ";
  if (!d.path.empty()) out += d.path + ": ";
  out += d.message;
  return out;
}

std::string format(const Diagnostics& ds) {
  std::string out;
  for (const auto& d : ds) out += format(d) + "\n";
  return out;
}

bool has_errors(const Diagnostics& ds) {
  for (const auto& d : ds)
    if (!d.warning) return true;
  return false;
}

}  // namespace qpod
