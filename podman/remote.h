#pragma once
// Remote podman: qpod's --url, --connection and --identity go before every podman command
// (`podman --url=ssh://... ps`), so the same project runs against another machine's podman.
// CONTAINER_HOST and CONTAINER_CONNECTION are podman's own: podman 4.x reads them from its
// environment and goes remote by itself, so qpod passes them on by leaving the environment as
// it is (every podman it starts inherits it) and only asks them whether podman is remote.
#include <string>
#include <vector>

namespace qpod::podman {

struct RemoteOptions {
  std::string url;  // --url: ssh://user@host[:port]/run/user/UID/podman/podman.sock, unix:...
  std::string connection;  // --connection: a name `podman system connection list` knows
  std::string identity;    // --identity: the SSH key for an ssh:// url
};

// The global options of `o`, each as one `--opt=value` word (a value never read as an option),
// in a fixed order: --url, --connection, --identity. Empty when none is set.
std::vector<std::string> global_args(const RemoteOptions& o);

// What --dry-run shows for a podman command: "podman", global_args(remote_options()), argv
// (the words the command would run with, the binary named by its name).
std::vector<std::string> shown_command_line(const std::vector<std::string>& argv);

// Whether podman talks to another machine: an option of `o`, or CONTAINER_HOST or
// CONTAINER_CONNECTION (the values of the environment variables, null when unset) set.
bool is_remote(const RemoteOptions& o, const char* container_host,
               const char* container_connection);

// The options of this process: set once by the CLI from its global flags, before any PodmanCli
// is made (each PodmanCli takes them when constructed).
void set_remote_options(const RemoteOptions& o);
const RemoteOptions& remote_options();
// is_remote(remote_options(), $CONTAINER_HOST, $CONTAINER_CONNECTION).
bool podman_is_remote();

}  // namespace qpod::podman
