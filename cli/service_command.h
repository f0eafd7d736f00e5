#pragma once
// `exec` and `run` take SERVICE [--] COMMAND [ARGS...] after their own flags. Everything after
// the service is the command's, flags included ("ls -la"); a `--` before the service ends our
// flags (`qpod exec -T -- web ls`), one right after it is dropped (`qpod exec web -- ls`).
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qpod::cli {

struct ServiceCommand {
  std::string service;
  std::vector<std::string> command;
};

// Adds the two positionals to `cmd`; after parsing, `into` holds them (command without a
// leading "--").
void add_service_command(CLI::App& cmd, ServiceCommand& into);

// After parsing: drops the leading "--" of the command.
void finish_service_command(ServiceCommand& sc);

// -T/--no-TTY and -t/--tty, as docker compose's exec and run take them.
struct TtyFlags {
  bool no_tty = false, tty = true;
  // A TTY when stdin is one (-t alone does not force one), never for a detached command.
  bool wanted(bool detach) const;
};

// -T, -i and -t (-i and -t on by default: --interactive=false closes stdin).
void add_tty_flags(CLI::App& cmd, TtyFlags& t, bool& interactive);

}  // namespace qpod::cli
