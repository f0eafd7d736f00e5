#pragma once
// The podman argv of a QPOD environment (without the leading "podman", as every builder here):
// a command's own `run --rm`, the kept-running environment container's `run --detach`, and
// `exec` in it. Pure functions; env/route decides where a command runs and checks the
// environment before these build its argv.
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "podman/podman_argv.h"

namespace qpod::podman {

// Who runs the command, and in which folder of the container.
struct EnvRunner {
  std::string workdir;  // the caller's folder when inside the git root, else the root
  bool stdin_tty = false;
  bool rootless = false;  // podman runs rootless: --userns=keep-id, else --user UID:GID
  unsigned uid = 0, gid = 0;
};

// The command: the template's binary entry when listed (its runArgs), argv[0] as it runs in the
// container (an absolute path when it lies in the repository), the rest of argv.
struct EnvCommand {
  const compose::QpodBinary* binary = nullptr;
  std::string program;
  std::vector<std::string> args;
};

// "<project>-env": the kept-running environment container.
std::string env_container_name(const compose::Project& project);

// `run --rm -i [-t] --init --pod <project>`, the user, the environment's mounts, the working
// folder, env, defaultRunArgs, the binary's runArgs, the image, the command.
Argv env_run_rm(const compose::Project& project, const EnvRunner& who, const EnvCommand& cmd);

// `run --detach` of the environment container: in the pod, the labels (project, one-off, the
// config hash of this very argv), the user, mounts, env and defaultRunArgs, podman's init
// waiting forever.
Argv env_container_create(const compose::Project& project, const EnvRunner& who);
// The hash the create argv carries in its io.qpod.config-hash label (of the argv without it).
std::string env_container_hash(const Argv& create_argv);

// `exec -i [-t] [--user UID:GID] --workdir DIR [--env MARKER] <project>-env command...`.
Argv env_exec(const compose::Project& project, const EnvRunner& who, const EnvCommand& cmd,
              const std::string& marker);

// `container inspect` printing "<conmon pid> <id>" per container (the environment's stamp).
Argv container_conmon_pids(const std::vector<std::string>& names);

}  // namespace qpod::podman
