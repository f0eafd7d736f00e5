#pragma once
// The podman argv of create's neighbours in docker compose's command list: cp, events, stats,
// volumes and attach (next to podman_argv.h, which holds the rest). Every user value is either
// after `--` or joined to its flag with `=`, so podman never reads one as an option.
#include <string>
#include <vector>

#include "podman/podman_argv.h"

namespace qpod::podman {

// `cp [--archive=false] -- SRC DEST`: one side is "CONTAINER:PATH", the other a host path or
// "-" (a tar stream on stdin or stdout). keep_owner: docker's -a, the files keep their uid/gid
// (podman's --archive, on by default, gives them the container's user instead).
Argv container_copy(const std::string& src, const std::string& dest, bool keep_owner);

// `events` of the project's containers, as JSON lines, until stopped (or until `until`).
Argv project_events(const std::string& project, const std::string& since, const std::string& until);

struct StatsArgs {
  bool all = false, no_stream = false, no_trunc = false;
  std::string format;  // "" = podman's table; json, or a Go template
};
// `stats [--all] [--no-stream] [--no-trunc] [--format=F] -- NAMES...` (podman 4.3 has no
// label filter: the caller names the project's containers).
Argv container_stats(const std::vector<std::string>& names, const StatsArgs& a);

// The project's volumes (JSON): `volume ls --filter=label=io.qpod.project=P --format=json`.
Argv project_volume_ls(const std::string& project);

struct AttachArgs {
  bool no_stdin = false;
  bool sig_proxy = true;
  std::string detach_keys;  // "" = podman's (ctrl-p,ctrl-q)
};
// `attach [--no-stdin] [--sig-proxy=false] [--detach-keys=K] -- NAME`
Argv container_attach(const std::string& name, const AttachArgs& a);

}  // namespace qpod::podman
