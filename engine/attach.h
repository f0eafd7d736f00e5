#pragma once
// `up` without -d: after the services started, show their logs (prefixed, interleaved) until
// every container is done, an exit aborts (--abort-on-container-exit, --exit-code-from), or
// Ctrl-C: then stop the project's containers ("Gracefully stopping..."), and a second Ctrl-C
// kills them.
#include <atomic>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/attach_watch.h"
#include "engine/operations.h"

namespace qpod::engine {

struct AttachOptions {
  std::vector<std::string> services;       // whose logs to show (empty = all)
  std::vector<std::string> stop_services;  // what an abort or Ctrl-C stops (empty = all)
  bool abort_on_exit = false;
  bool abort_on_failure = false;
  std::string exit_code_from;
  std::string since;  // show lines from then on (the start of `up`)
  bool color = false;
  bool prefix = true;
  std::optional<int> stop_timeout_s;
  const std::atomic<bool>* force = nullptr;  // the second Ctrl-C
};

// Returns the exit code: 0 when all ended by themselves, the exit code of the container that
// aborted (or of exit_code_from's service), 128 + the signal after Ctrl-C (130) or SIGTERM
// (143), 1 when podman failed.
int attach(const compose::Project& p, podman::Runtime& rt, Progress& progress,
           const AttachOptions& o, const RunOptions& run, std::ostream& out);

}  // namespace qpod::engine
