#include "cli/service_command.h"

#include <CLI/CLI.hpp>

namespace qpod::cli {

void add_service_command(CLI::App& cmd, ServiceCommand& into) {
  // Once the service is read, every later word is the command's: positionals_at_end() makes
  // CLI11 stop reading flags after the first positional (what cobra's SetInterspersed(false)
  // does for docker compose).
  cmd.positionals_at_end();
  cmd.add_option("service", into.service, "The service");
  cmd.add_option("command", into.command, "The command and its arguments");
}

void finish_service_command(ServiceCommand& sc) {
  if (!sc.command.empty() && sc.command.front() == "--") sc.command.erase(sc.command.begin());
}

}  // namespace qpod::cli
