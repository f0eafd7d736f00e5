#pragma once
// develop.watch `sync`: changed host files into the running container. Planning is pure (which
// paths to remove, create, copy); running it is one `rm -rf` and one `mkdir -p` exec at most,
// then a `podman cp` per file, several at once.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "podman/runtime.h"
#include "watch/rules.h"

namespace qpod::engine {

struct SyncSteps {
  std::vector<std::string> remove;                        // container paths, gone from the host
  std::vector<std::string> mkdir;                         // container directories, new on the host
  std::vector<std::pair<std::string, std::string>> copy;  // host source → container path
  bool operator==(const SyncSteps&) const = default;
};

// A changed directory becomes a `mkdir` (the files in it are reported one by one, so copying it
// whole would also copy what the rule ignores), unless `whole_dirs` (events were lost): then its
// contents are copied ("dir/." so that podman copies them into the target, not beside it).
SyncSteps plan_sync(const std::vector<watch::SyncFile>& files, bool whole_dirs,
                    const std::function<bool(const std::string&)>& is_dir);

// Runs the steps on the container of `service`. A copy that fails is retried once after
// creating its parent directory in the container; a file gone from the host meanwhile is
// skipped. Every step runs: a failure holds one Diagnostic per failed podman call (its stderr).
Status run_sync(const compose::Project& p, const compose::Service& service, podman::Runtime& rt,
                const SyncSteps& steps, int parallelism);

}  // namespace qpod::engine
