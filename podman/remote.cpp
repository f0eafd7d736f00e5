#include "podman/remote.h"

#include <cstdlib>

namespace qpod::podman {
namespace {

RemoteOptions& options() {
  static RemoteOptions o;
  return o;
}

}  // namespace

std::vector<std::string> global_args(const RemoteOptions& o) {
  std::vector<std::string> out;
  if (!o.url.empty()) out.push_back("--url=" + o.url);
  if (!o.connection.empty()) out.push_back("--connection=" + o.connection);
  if (!o.identity.empty()) out.push_back("--identity=" + o.identity);
  return out;
}

std::vector<std::string> shown_command_line(const std::vector<std::string>& argv) {
  std::vector<std::string> out{"podman"};
  for (auto& a : global_args(remote_options())) out.push_back(std::move(a));
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

bool is_remote(const RemoteOptions& o, const char* container_host,
               const char* container_connection) {
  auto set = [](const char* v) { return v != nullptr && *v != '\0'; };
  return !o.url.empty() || !o.connection.empty() || set(container_host) ||
         set(container_connection);
}

void set_remote_options(const RemoteOptions& o) { options() = o; }
const RemoteOptions& remote_options() { return options(); }

bool podman_is_remote() {
  return is_remote(remote_options(), std::getenv("CONTAINER_HOST"),
                   std::getenv("CONTAINER_CONNECTION"));
}

}  // namespace qpod::podman
