#pragma once
// Compose's lifecycle hooks outside a plan: `qpod run`'s one-off container runs its service's
// post_start hooks once it runs, as docker compose's `run` does. (pre_stop: `run` never stops
// its one-off; `down` removes one-offs with the pod, as docker compose's down leaves them out
// of its stops unless --remove-orphans.)
#include <atomic>
#include <string>

#include "base/result.h"
#include "compose/model.h"
#include "engine/progress.h"
#include "podman/runtime.h"

namespace qpod::engine {

// Each post_start (or pre_stop) hook of `s` as a `podman exec` in `container`, in order; the
// first failure ends them: "post_start[0] hook (touch /x) in demo-web-1 failed (exit 1): ...".
Status run_hooks(podman::Runtime& rt, const compose::Service& s, const std::string& container,
                 bool post_start);

// For a one-off in the foreground: waits until `container` runs (its state, polled), then runs
// the post_start hooks. When `ended` is set (the run is over) before it was seen running, no
// hook runs and `progress` gets a warning.
Status post_start_once_running(podman::Runtime& rt, const compose::Service& s,
                               const std::string& container, const std::atomic<bool>& ended,
                               Progress& progress);

}  // namespace qpod::engine
