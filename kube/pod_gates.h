#pragma once
// Pod mode: depends_on order inside one Pod (podman kube play starts its containers together).
// A gated container runs its own argv through a fixed wrapper script:
//   command: [sh, -c, kGateScript, qpod-gate, OPTION, VALUE, ..., --, ARGV...]
// The argv and every user value are arguments of the script, never part of it. The containers
// share an emptyDir at kGateDir, where each dependency's wrapper leaves markers:
//   NAME.started  before it execs its argv          (service_started)
//   NAME.healthy  once its own healthcheck passes   (service_healthy; .unhealthy after retries)
//   NAME.exit     its exit code, when it has exited (service_completed_successfully, and a
//                 service_healthy wait fails on it, as compose's "dependency failed to start")
// A dependency that others wait for to be healthy or completed runs its argv as the wrapper's
// child (mode run), which passes TERM, INT, HUP, QUIT, USR1, USR2 on and records the exit code;
// the others exec theirs. A one-shot whose own restart policy does not rerun it is not run
// again when the Pod's restartPolicy restarts it: after it completed (modes once and retry), or
// after it failed unless its policy is on-failure (mode once; retry reruns it). It stays up,
// idle, until it is stopped.
// A service is wrapped only when its argv is known: `entrypoint` in Compose, else the image's
// Entrypoint/Cmd read by the caller (FileData::images). Otherwise a warning names the service
// and the dependency. docs/KUBE-KEYS.md ("depends_on in a Pod") has the rule.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "kube/generate.h"

namespace qpod::kube {

inline constexpr const char* kGateDir = "/run/qpod-gates";
// Set from the Pod's metadata.uid: the markers live in kGateDir/UID, so a Pod played anew on a
// volume that outlived the old Pod does not read the old ones.
inline constexpr const char* kGatePodVariable = "QPOD_GATE_POD";
extern const char* const kGateScript;  // POSIX sh (busybox ash, dash, bash)

struct GatePlan {
  std::map<std::string, std::vector<std::string>> command;  // service → the container's command
  std::vector<std::string> warnings;  // "service app: depends_on db (service_healthy): ..."
};

// `services`: the Pod's containers (not its initContainers); `init`: the services that are
// initContainers (their dependants need no gate: they run before every container).
GatePlan plan_gates(const compose::Project& p, const std::set<std::string>& services,
                    const std::set<std::string>& init,
                    const std::map<std::string, ImageArgv>& images);

// The service's argv (entrypoint + command, with the image's parts where Compose leaves them
// out); empty when it cannot be known.
std::vector<std::string> known_argv(const compose::Project& p, const compose::Service& s,
                                    const std::map<std::string, ImageArgv>& images);
// One shell word: 'text' with each ' written as '\''.
std::string shell_quote(const std::string& word);
// A healthcheck test as one `sh -c` string: CMD-SHELL as written, CMD words quoted.
std::string health_shell(const compose::Healthcheck& h);

}  // namespace qpod::kube
