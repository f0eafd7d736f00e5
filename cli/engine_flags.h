#pragma once
// What an engine command's flags fill: the engine's options and the run options (--dry-run...).
// Commands hold it in a shared_ptr: CLI11 writes into it when it parses, after add_* returned.
#include "engine/apply.h"

namespace qpod::cli {

template <class Options>
struct EngineFlags {
  Options o;
  engine::RunOptions run;
};

}  // namespace qpod::cli
