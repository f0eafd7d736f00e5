#pragma once
// The line of a failed command's output worth showing the user, one rule for brief_failure
// (runtime.h) and the executor's hook failures: the last "Error:" line of stderr, else its last
// line; stdout's when stderr is blank (a hook's own command may complain there); at most 300
// characters, then "...". Empty when neither says anything.
#include <string>

#include "base/text.h"
#include "podman/runtime.h"

namespace qpod::podman {

inline std::string failure_line(const RunResult& r) {
  std::string last, last_error;
  for (const std::string* text : {&r.err, &r.out}) {
    for (const auto& line : split_lines(*text)) {
      std::string t = trim(line);
      if (t.empty()) continue;
      last = t;
      if (t.starts_with("Error:")) last_error = t;
    }
    if (!last.empty()) break;  // stdout only when stderr says nothing
  }
  std::string out = last_error.empty() ? last : last_error;
  if (out.size() > 300) out = out.substr(0, 300) + "...";
  return out;
}

}  // namespace qpod::podman
