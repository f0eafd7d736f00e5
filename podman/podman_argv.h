#pragma once
// THE place where podman argv is built (without the leading "podman"). Pure functions of the
// project model: planner, executor, down and ps all ask here, so each flag has one home.
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "podman/host_facts.h"

namespace qpod::podman {

using Argv = std::vector<std::string>;

// ---- names ----------------------------------------------------------------------------------
// Names of what qpod creates.
std::string pod_name(const compose::Project& p);  // the project name
std::string container_name(const compose::Project& p, const compose::Service& s);  // P-S-1
// The `number`th container of a scaled service: P-S-N (container_name is never scaled).
std::string container_name(const compose::Project& p, const compose::Service& s, int number);
std::string volume_name(const compose::Project& p, const std::string& key);
std::string network_name(const compose::Project& p, const std::string& key);
std::string label_filter(const std::string& project);  // "label=io.qpod.project=P"

// ---- the pod --------------------------------------------------------------------------------
// The pod: every service's published ports, its names as /etc/hosts entries (127.0.0.1, as the
// pod shares one network namespace), the project networks the services use, DNS, sysctls.
Argv pod_create(const compose::Project& p);
// A stable hash of what pod_create sets (ports, hosts, networks...): a change recreates the pod.
std::string pod_hash(const compose::Project& p);
std::vector<std::string> pod_networks(const compose::Project& p);  // keys of networks to create
// A stable hash of the variables provider services handed a container (its provided-hash
// label, which `up` compares to recreate it when they change); empty for none.
std::string provided_hash(const compose::StringMap& provided);

// ---- containers: a service's keys as flags --------------------------------------------------
// `number`: which of the service's containers (scale, deploy.replicas): its name and label.
// `provided`: variables provider services handed `s` (over its environment; not in its config
// hash, but in its provided-hash label).
// `host`: the machine podman runs on (Runtime::host_facts()): default ulimits, GPU CDI spec.
Argv container_create(const compose::Project& p, const compose::Service& s, int number = 1,
                      const compose::StringMap& provided = {}, const HostFacts& host = {});
Argv container_run(const compose::Project& p, const compose::Service& s, int number = 1,
                   const compose::StringMap& provided = {},
                   const HostFacts& host = {});  // create + start
// Where a service sees a secret (/run/secrets/NAME) or a config (/NAME), `target` if given.
std::string file_object_target(const compose::FileReference& ref, bool secret);
// Private directory of the copies qpod writes of a project's secrets and configs:
// $XDG_RUNTIME_DIR/qpod/PROJECT, else /tmp/qpod-UID/PROJECT (lock_dir()/PROJECT).
std::string host_files_dir(const std::string& project);
// DIR/SERVICE/secrets|configs/TARGET: a reference's copy (TARGET: file_object_target).
std::string host_file_path(const compose::Project& p, const compose::Service& s, bool secret,
                           const compose::FileReference& ref);
// Keys of `s` that podman, in one pod, cannot honour: one message per key ("mac_address: ...").
std::vector<std::string> service_warnings(const compose::Project& p, const compose::Service& s,
                                          const HostFacts& host);
// A Go duration podman accepts: "30s", "1500ms".
std::string podman_duration(compose::Duration d);

// ---- container lifecycle --------------------------------------------------------------------
Argv container_start(const std::vector<std::string>& names);
Argv container_stop(const std::vector<std::string>& names, std::optional<int> timeout_s);
Argv container_restart(const std::vector<std::string>& names, std::optional<int> timeout_s);
// Forced, with anonymous volumes; `timeout_s`: the grace period of a running one (else its own).
Argv container_rm(const std::vector<std::string>& names, std::optional<int> timeout_s = {});
Argv container_wait(const std::string& name);  // prints the exit code
Argv healthcheck_run(const std::string& name);
Argv health_log(const std::string& name);  // the last health check's output
Argv pod_rm(const std::string& pod, std::optional<int> timeout_s);
// A new pod's infra container, started before its containers: podman 4.3's parallel
// `run --pod` of a pod whose infra is not running race to start it ("container state
// improper", "internal libpod error").
Argv pod_start(const std::string& pod);
Argv container_kill(const std::vector<std::string>& names, const std::string& signal = "SIGKILL");
Argv container_rm_keep_volumes(const std::vector<std::string>& names);  // `rm` without -v
Argv container_pause(const std::vector<std::string>& names);
Argv container_unpause(const std::vector<std::string>& names);
Argv container_top(const std::string& name);
Argv container_state(const std::string& name);  // "running 0", "exited 3"

// ---- volumes and networks -------------------------------------------------------------------
Argv volume_create(const compose::Project& p, const std::string& key);
Argv volume_rm(const std::vector<std::string>& names);
Argv network_create(const compose::Project& p, const std::string& key);
Argv network_rm(const std::vector<std::string>& names);

// ---- listings and inspection (JSON) ---------------------------------------------------------
// Listings (JSON output), for observe: containers and pods by label, all volumes and networks.
Argv ps_project(const std::string& project);
Argv pod_ps_project(const std::string& project);
Argv volume_ls();
Argv network_ls();
Argv pod_inspect(const std::string& pod);                     // JSON, with InfraConfig.PortBindings
Argv image_inspect(const std::vector<std::string>& refs);     // JSON array
Argv container_inspect(const std::vector<std::string>& ids);  // JSON array (ps reads health)
Argv ps_all_projects(bool all);  // every container with a project label (qpod ls)

// ---- images: build, pull, remove ------------------------------------------------------------
// The image a service runs: its `image`, else "<project>-<service>" (docker compose v2), lower
// case as image names must be.
std::string image_of(const compose::Project& p, const compose::Service& s);
struct BuildFlags {
  bool no_cache = false;
  std::string pull;                     // "" | always | missing | never | newer: --pull=...
  std::vector<std::string> build_args;  // "K=V" from the command line, after the file's args
  std::string dockerfile;               // a file to use instead (dockerfile_inline, written out)
};
// `podman build` of s.build, tagged image_of(p, s) (and build.tags), with the project labels.
Argv image_build(const compose::Project& p, const compose::Service& s, const BuildFlags& f);
Argv image_pull(const std::string& image, bool quiet);
Argv image_exists(const std::string& image);
Argv image_inspect_id(const std::string& image);  // prints the image id
// The project's dangling images (left untagged by a rebuild): `image prune` with its label.
Argv image_prune_dangling(const std::string& project);
Argv image_rm(const std::vector<std::string>& images);  // absent ones are not an error

// ---- logs (qpod logs, attached up) ----------------------------------------------------------
struct LogsArgs {
  bool follow = false;
  bool timestamps = false;
  std::string tail;          // empty = everything
  std::string since, until;  // as podman takes them (RFC 3339, unix seconds, Go duration)
};
Argv container_logs(const std::string& container, const LogsArgs& a);

// ---- exec, run, cp: commands in a service's containers --------------------------------------
// Copies a host file or directory to `path` in the container (a directory's contents, with
// "/." appended by the caller, as `podman cp` copies a directory itself into an existing one).
Argv container_cp(const std::string& host, const std::string& container, const std::string& path);
// Runs in the container: `rm -rf -- PATHS` and `mkdir -p -- DIRS` (the image must have them).
Argv container_exec_rm(const std::string& container, const std::vector<std::string>& paths);
Argv container_exec_mkdir(const std::string& container, const std::vector<std::string>& dirs);
// A post_start / pre_stop hook: `exec [--privileged] [--user=U] [--workdir=W] [--env=K=V]...
// CONTAINER COMMAND...`, without stdin (as docker compose's hooks).
Argv container_exec_hook(const std::string& container, const compose::ServiceHook& hook);
struct ExecArgs {
  bool tty = false, detach = false, privileged = false;
  bool interactive = true;       // --interactive: stdin stays open
  int index = 1;                 // the service's container number
  std::vector<std::string> env;  // KEY=VALUE
  std::string user, workdir;
  std::string marker;  // "QPOD_EXEC_ID=..." (--env), to signal the process
};
// `exec [-i] [-t] [-d] ... <container> command...`
Argv container_exec(const compose::Project& p, const compose::Service& s, const ExecArgs& o,
                    const std::vector<std::string>& command);

struct OneoffArgs {
  bool rm = false, detach = false, tty = false;
  bool interactive = true;       // --interactive unless detached
  std::string name;              // empty = <project>-<service>-run-<suffix>
  std::vector<std::string> env;  // KEY=VALUE, over the service's environment
  compose::StringMap provided;   // what provider services handed the service: under `env`
  std::optional<std::string> entrypoint;
  std::string user, workdir;
  std::optional<std::vector<std::string>> command;  // nullopt = the service's
  std::vector<std::string> volumes;                 // -v: podman --volume values, sources resolved
};
// `run` of a one-off container of service `s` in the pod: the service's create flags with the
// overrides, labelled io.qpod.oneoff=True (so `up` ignores it and `down` removes it), without
// a restart policy (podman refuses it with --rm, and a one-off is not restarted).
Argv container_run_oneoff(const compose::Project& p, const compose::Service& s, const OneoffArgs& o,
                          const std::string& suffix, const HostFacts& host = {});
// Its name: o.name, else <project>-<service>-run-<suffix>.
std::string oneoff_name(const compose::Project& p, const compose::Service& s, const OneoffArgs& o,
                        const std::string& suffix);

// ---- doctor ---------------------------------------------------------------------------------
Argv podman_version();  // `version --format json`
Argv podman_info();     // `info --format json`
// `run --rm IMAGE COMMAND...`: a throwaway container (doctor's "run a container" check).
Argv container_run_rm(const std::string& image, const std::vector<std::string>& command);

}  // namespace qpod::podman
