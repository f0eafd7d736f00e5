#pragma once
// Pure planning: desired state (Project, ServiceGraph) + observed state + options → Plan.
// No I/O, so planner tests compare to_string(plan) with expected text.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/images.h"
#include "engine/observe.h"
#include "engine/plan.h"
#include "graph/service_graph.h"
#include "podman/host_facts.h"

namespace qpod::engine {

struct UpOptions {
  std::vector<std::string> services;  // empty = all but QPOD start: binary/manual ones
  bool no_deps = false;
  bool force_recreate = false;
  bool no_recreate = false;
  bool remove_orphans = false;
  ImageOptions images;  // --build, --no-build, --pull
  bool wait = false;    // --wait: end with every service running, and healthy if it has a check
  // With `services` empty: no service at all, only the pod (and its networks). For exec-env and
  // `run --no-deps`, which need the pod but none of the services.
  bool pod_only = false;
  std::optional<int> timeout_s;      // -t: the grace period of containers stopped to be replaced
  std::map<std::string, int> scale;  // --scale SERVICE=N: over scale / deploy.replicas
  // `qpod create`: images, networks, volumes, the pod and the containers, none started (a
  // running container is left running unless it is recreated).
  bool create_only = false;
  podman::HostFacts host;  // the machine podman runs on (its warnings: gpus without CDI)
  // Provider services whose `up` already ran (engine::up runs those that wait for no container
  // first), and the variables they handed each service (service -> KEY -> VALUE): they do not
  // run again, and a kept container of a service that depends only on such providers is
  // recreated when its provided-hash label differs, as docker compose recreates it.
  std::set<std::string> providers_done;
  std::map<std::string, compose::StringMap> provided;
};

struct DownOptions {
  std::optional<int> timeout_s;
  bool volumes = false;
  bool remove_orphans = false;
  std::string rmi;  // --rmi: "" | local (images without `image:`, which qpod built) | all
};

// start / stop / restart: on the existing containers of `services` (empty = all), without
// their dependencies. Start and restart go in dependency order, each after its selected
// dependencies' depends_on conditions; stop goes in reverse order.
struct LifecycleOptions {
  std::vector<std::string> services;  // empty = all
  std::optional<int> timeout_s;       // stop / restart grace period
};

// What observe() must list for these plans (volumes and networks cost a podman call each).
ObserveOptions observe_options_for_up(const compose::Project& p);
ObserveOptions observe_options_for_down(const DownOptions& o);

// What `up` without services starts: every service, except those a QPOD template starts on
// demand (start: binary or manual), unless a started one depends on them.
std::set<std::string> default_up_selection(const compose::Project& p, const graph::ServiceGraph& g);

Plan plan_up(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
             const UpOptions& o);
// `p` may hold only a name (no compose file): then every labelled container goes.
Plan plan_down(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
               const DownOptions& o);

// Services in `o.services` (or all) that have no container: start/restart report them.
std::vector<std::string> missing_containers(const compose::Project& p, const Observed& obs,
                                            const LifecycleOptions& o);
Plan plan_start(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
                const LifecycleOptions& o);
Plan plan_stop(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
               const LifecycleOptions& o);
Plan plan_restart(const compose::Project& p, const graph::ServiceGraph& g, const Observed& obs,
                  const LifecycleOptions& o);

}  // namespace qpod::engine
