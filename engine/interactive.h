#pragma once
// Runs one program in the foreground: stdin, stdout and stderr (and so the TTY) inherited, the
// exit code passed back exactly (128+N when it dies of signal N). For `exec-env`, `exec`, `run`.
//
// Signals: SIGINT/SIGQUIT typed at the terminal reach the whole foreground process group, the
// child included, so they are not forwarded again (with `-t` podman's raw mode turns Ctrl-C into
// a byte anyway). Signals sent to qpod alone (kill PID: SIGTERM, SIGHUP, SIGINT) are forwarded
// to the child. When stdin is not a terminal the child gets its own process group, so a
// terminal's Ctrl-C reaches qpod only and is forwarded once. SIGWINCH comes from the terminal
// to the foreground group, the child included: nothing to forward.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace qpod::engine {

struct InteractiveOptions {
  bool own_process_group = false;
  // false: signals go to on_signal only (`podman exec`, which would just exit and leave the
  // process in the container running; podman exec then returns that process's exit code).
  bool forward_to_child = true;
  // Called with each forwarded signal, after the child got it: `podman exec` does not pass
  // signals into the container, so its caller signals the process there too.
  std::function<void(int sig)> on_signal;
  // Run in a thread of its own while the child runs (`run`'s post_start hooks), started after
  // the forwarded signals are blocked, so the thread never takes one of them; `ended` is set
  // once the child was reaped, and run_interactive returns after the thread returned.
  std::function<void(const std::atomic<bool>& ended)> alongside;
};

// For a `podman exec` whose process carries `marker` ("QPOD_EXEC_ID=...", its --env entry):
// signals go to that process in the container (found by the marker), not to podman exec.
// An empty marker (a detached exec) signals nothing.
InteractiveOptions podman_exec_options(const std::string& marker, bool own_process_group);

// `binary`: a path, or a name looked up in PATH. argv[0] is the program's name.
int run_interactive(const std::string& binary, const std::vector<std::string>& argv,
                    const InteractiveOptions& o = {});

// Sends `sig` to every process on this host whose environment holds exactly `entry`
// ("KEY=VALUE"): a process started by `podman exec --env entry` is found so.
int signal_processes_with_env(const std::string& entry, int sig);

}  // namespace qpod::engine
