#pragma once
// The flags `up` and `create` share: recreation (--force-recreate, --no-recreate) and images
// (--build, --no-build, --pull), with the one check of the pairs that exclude each other.
#include <iosfwd>

#include "engine/planner.h"

namespace CLI {
class App;
}

namespace qpod::cli {

// --force-recreate and --no-recreate.
void add_recreate_flags(CLI::App& cmd, engine::UpOptions& up);
// --build ("Build images before `when`"), --no-build and --pull.
void add_image_flags(CLI::App& cmd, engine::UpOptions& up, const char* when);
// False, with the message on `err`, when two of these flags exclude each other.
bool up_flags_compatible(const engine::UpOptions& up, std::ostream& err);

}  // namespace qpod::cli
