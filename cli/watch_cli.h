#pragma once
// `qpod up --watch`: up with these options, then the loop of `qpod watch` (cmd_watch.cpp).
#include "cli/context.h"
#include "engine/operations.h"

namespace qpod::cli {

int run_up_watch(Context& ctx, const engine::UpOptions& up, engine::RunOptions& run);

}  // namespace qpod::cli
