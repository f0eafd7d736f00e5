#include "podman/command_argv.h"

namespace qpod::podman {

Argv container_copy(const std::string& src, const std::string& dest, bool keep_owner) {
  Argv a{"cp"};
  if (keep_owner) a.push_back("--archive=false");
  a.insert(a.end(), {"--", src, dest});
  return a;
}

Argv project_events(const std::string& project, const std::string& since,
                    const std::string& until) {
  Argv a{"events", "--filter=" + podman::label_filter(project), "--filter=type=container",
         "--format=json"};
  if (!since.empty()) a.push_back("--since=" + since);
  if (!until.empty()) a.push_back("--until=" + until);
  return a;
}

Argv container_stats(const std::vector<std::string>& names, const StatsArgs& s) {
  Argv a{"stats"};
  if (s.all) a.push_back("--all");
  if (s.no_stream) a.push_back("--no-stream");
  if (s.no_trunc) a.push_back("--no-trunc");
  if (!s.format.empty()) a.push_back("--format=" + s.format);
  a.push_back("--");
  a.insert(a.end(), names.begin(), names.end());
  return a;
}

Argv project_volume_ls(const std::string& project) {
  return {"volume", "ls", "--filter=" + podman::label_filter(project), "--format=json"};
}

Argv container_attach(const std::string& name, const AttachArgs& s) {
  Argv a{"attach"};
  if (s.no_stdin) a.push_back("--no-stdin");
  if (!s.sig_proxy) a.push_back("--sig-proxy=false");
  if (!s.detach_keys.empty()) a.push_back("--detach-keys=" + s.detach_keys);
  a.insert(a.end(), {"--", name});
  return a;
}

}  // namespace qpod::podman
