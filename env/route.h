#pragma once
// Host or container: where a command typed in an environment runs, and the podman command line
// that runs it in the environment's pod (built by podman/env_argv, without the leading
// "podman", after the checks here). Pure functions, except resolve_program (reads PATH) and
// is_executable_file.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace qpod::env {

enum class Where { kHost, kContainer };

struct Decision {
  Where where = Where::kHost;
  std::string reason;   // why, as --dry-run prints it
  std::string program;  // argv[0] resolved (resolve_program); empty when not found
  std::optional<compose::QpodBinary> binary;  // the template's entry for argv[0], when listed
};

struct RouteInput {
  std::string argv0;             // as typed: a name, or a path
  std::string program;           // resolve_program(argv0, ...); empty when not found
  std::string git_root;          // absolute
  bool force_container = false;  // QPOD_CONTAINER=1
};

// The rules, in order: QPOD_CONTAINER=1 → container; argv[0]'s name listed in binaries →
// container; the resolved program inside the git root → container; else host. Without an
// environment (`env` null) always the host.
Decision route(const compose::QpodEnvironment* env, const RouteInput& in);

// argv[0] to an absolute path: with a '/', against `cwd`; else the first executable file in the
// PATH folders (`path_var`), leaving out `skip_dir` (the shims folder, which would find qpod).
// Whether `path` is a regular file this process may execute.
bool is_executable_file(const std::string& path);

std::string resolve_program(const std::string& argv0, const std::string& path_var,
                            const std::string& cwd, const std::string& skip_dir);

struct RunContext {
  std::string cwd;  // absolute
  bool stdin_tty = false;
  bool rootless = false;  // podman runs rootless: --userns=keep-id, else --user UID:GID
  unsigned uid = 0, gid = 0;
};

// The environment image's build, in the form the engine's build step takes: a project of one
// service, "<project>-env", with x-qpod.build, tagged compose::environment_image(). nullopt when
// the environment does not build its image (x-qpod.image only).
std::optional<compose::Project> environment_build(const compose::Project& project);

// `run` (podman's) for a container decision: --rm -i [-t] --init --pod <project name>, the user,
// the git root at its own path and at /qpod, the template mounts, the working folder (cwd when
// inside the root, else the root), env, defaultRunArgs, the binary's runArgs, the image, argv
// (argv[0] as its absolute path when it lies in the repository).
Result<std::vector<std::string>> container_argv(const compose::Project& project,
                                                const Decision& decision, const RunContext& ctx,
                                                const std::vector<std::string>& argv);

// ---- exec/run: the kept-running environment container ---------------------------------------
// `podman run --rm` per command costs a container's creation and removal each time; by default
// commands instead run with `podman exec` in "<project>-env", a container of the pod that only
// waits, created on first use and replaced when its configuration (hash label) changes. It is
// labelled one-off of the project: `up` leaves it alone, `down` removes it with the pod.
std::string env_container_name(const compose::Project& project);

// Whether the decision can run by `podman exec`: a binary's runArgs are options of `podman
// run` (a capability, a device...), so such a binary gets its own `podman run --rm`.
bool can_exec(const Decision& decision);

// `podman run --detach` of the environment container: in the pod, the user, the git root at
// both paths, the template mounts, env and defaultRunArgs, the labels (project, one-off, config
// hash of this very argv), podman's init waiting forever.
Result<std::vector<std::string>> env_container_create(const compose::Project& project,
                                                      const RunContext& ctx);

// `podman exec -i [-t] [--user UID:GID] --workdir DIR [--env MARKER] <project>-env argv...`.
// `marker` ("QPOD_EXEC_ID=...") lets qpod find the process to pass a signal to.
std::vector<std::string> env_exec_argv(const compose::Project& project, const Decision& decision,
                                       const RunContext& ctx, const std::vector<std::string>& argv,
                                       const std::string& marker);

}  // namespace qpod::env
