#pragma once
// What the engine commands (up, down, ps) share: the project (or just its name) and Ctrl-C.
#include <atomic>
#include <optional>

#include "cli/context.h"
#include "compose/model.h"

namespace qpod::cli {

// The loaded project; when loading fails but -p was given, a project with only that name
// (down and ps work by label, without the compose file).
std::optional<compose::Project> project_or_name(Context& ctx);

// Installs a SIGINT/SIGTERM handler that sets the returned flag (the executor polls it).
const std::atomic<bool>* cancel_on_signal();

}  // namespace qpod::cli
