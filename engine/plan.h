#pragma once
// A plan: what to do, in topological order, each action after the ones it names. The planner
// decides; the executor only runs. `qpod up --dry-run` prints to_string(plan).
#include <set>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace qpod::engine {

enum class ActionKind {
  CreateNetwork,  // service = the network's key in the project
  CreateVolume,   // service = the volume's key in the project
  CreatePod,
  RemovePod,
  CreateContainer,  // service
  Run,              // service: create and start in one podman call (nothing to wait for but
                    // started dependencies)
  Start,            // service
  Stop,
  Restart,  // service: `podman restart` (stop with its grace period, then start)
  Remove,
  WaitHealthy,        // service: poll `podman healthcheck run` until healthy
  WaitCompleted,      // service: `podman wait`, exit code 0 wanted
  RemoveVolume,       // service = the volume's host name
  RemoveNetwork,      // service = the network's host name
  Kill,               // service: Action::signal is the signal ("SIGKILL")
  Pause,              // service
  Unpause,            // service
  RemoveKeepVolumes,  // service: `qpod rm` without -v (anonymous volumes stay)
  // images (build area): service = the first service that uses the image
  Build,        // `podman build` of the service's image
  Pull,         // `podman pull` of the service's image
  RemoveImage,  // service = the image name (down --rmi); a failure is only a warning
  WaitRunning,  // service: up --wait on a service without a healthcheck: it must be running
  // provider services (engine/provider.h): `TYPE compose up|down|stop ... SERVICE`
  ProviderUp,
  ProviderDown,
  ProviderStop,
};

// Who waits on a wait-healthy/wait-running action: a dependant (depends_on condition), or
// `up --wait` itself. The executor names the service accordingly in its errors.
enum class Waiter { Dependant, UpWait };

struct Action {
  ActionKind kind;
  std::string service;                 // the service or object key; empty = the pod
  std::string reason;                  // "not found", "config hash changed"
  std::vector<int> after;              // indices that must finish first
  std::string container;               // a container that is not a project service (orphans)
  std::vector<std::string> members{};  // remove-pod: the containers that go with the pod
  int number = 1;                      // which container of a scaled service (P-S-N)
  std::string signal{};                // kill: the signal ("SIGKILL"); to_string shows it
  Waiter waiter = Waiter::Dependant;   // wait-*: who waits
  // create-pod: start the pod (its infra) right after creating it, before any container of it
  // starts (not for `qpod create`, which starts nothing). Part of creating it: to_string
  // does not show it.
  bool start_pod = false;
};

struct Plan {
  std::vector<Action> actions;
  // Actions whose failure is only a warning: their dependants go on (depends_on required: false).
  std::set<int> optional;
  std::vector<std::string> warnings;  // e.g. orphan containers left in place
  Diagnostics errors;                 // nothing may run (a missing external network or image...)
  bool empty() const { return actions.empty() && errors.empty(); }
};

const char* to_string(ActionKind k);  // "create", "start", "wait-healthy"...
// One line per action: "#2 start web (created) after #1"; "web-2": the second container.
std::string to_string(const Plan& plan);

}  // namespace qpod::engine
