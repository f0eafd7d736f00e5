#pragma once
// The attached half of `qpod up` (without -d): its flags and the call after the services
// started. Apart from cmd_up.cpp so that up's other flags (--wait, --build) evolve apart.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/engine_cli.h"

namespace CLI {
class App;
}

namespace qpod::cli {

struct UpAttachCli {
  bool abort_on_exit = false, abort_on_failure = false;
  std::string exit_code_from;
  std::vector<std::string> attach, no_attach;
  bool no_color = false, no_prefix = false;
  bool attach_dependencies = false;  // the named services' dependencies' logs too
  std::optional<int> timeout_s;      // up -t: the grace period of the stop at the end
  // Services `up` names (empty = all): those attached and stopped.
  std::vector<std::string> services;
  bool any() const;  // a flag that needs attaching (refused with -d)
};

void add_attach_flags(CLI::App* cmd, UpAttachCli& a);
// Fails when flags cannot work together or name no service of the project.
Status check_attach(const UpAttachCli& a, const compose::Project& p, bool detach);
// After `up` started the services: "Attaching to ...", their logs until the end (engine::attach).
// `since`: when `up` began (lines from then on).
int attach_after_up(EngineSession& s, const UpAttachCli& a, const std::string& since);

}  // namespace qpod::cli
