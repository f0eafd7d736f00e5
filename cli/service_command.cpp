#include "cli/service_command.h"

#include <unistd.h>

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

bool TtyFlags::wanted(bool detach) const {
  return !no_tty && tty && !detach && isatty(STDIN_FILENO) == 1;
}

void add_tty_flags(CLI::App& cmd, TtyFlags& t, bool& interactive) {
  cmd.add_flag("-T,--no-TTY,--no-tty", t.no_tty,
               "Do not allocate a TTY (default: when stdin is one)");
  cmd.add_flag("-i,--interactive", interactive, "Keep stdin open (default true)");
  cmd.add_flag("-t,--tty", t.tty, "Allocate a TTY when stdin is one (default true)");
}

}  // namespace qpod::cli
