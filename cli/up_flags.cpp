#include "cli/up_flags.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace qpod::cli {

void add_recreate_flags(CLI::App& cmd, engine::UpOptions& up) {
  cmd.add_flag("--force-recreate", up.force_recreate,
               "Recreate containers even if their configuration is unchanged");
  cmd.add_flag("--no-recreate", up.no_recreate, "Never recreate existing containers");
}

void add_image_flags(CLI::App& cmd, engine::UpOptions& up, const char* when) {
  cmd.add_flag("--build", up.images.build, std::string("Build images before ") + when);
  cmd.add_flag("--no-build", up.images.no_build, "Do not build an image, even if missing");
  cmd.add_option("--pull", up.images.pull, "Pull images: always, missing or never")
      ->check(CLI::IsMember({"always", "missing", "never"}));
}

bool up_flags_compatible(const engine::UpOptions& up, std::ostream& err) {
  if (up.force_recreate && up.no_recreate) {
    err << "--force-recreate and --no-recreate are incompatible\n";
    return false;
  }
  if (up.images.build && up.images.no_build) {
    err << "--build and --no-build are incompatible\n";
    return false;
  }
  return true;
}

}  // namespace qpod::cli
