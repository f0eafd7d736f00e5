#include "engine/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "compose/bind.h"
#include "podman/podman_argv.h"
#include "podman/text.h"

namespace qpod::engine {
namespace {

using compose::Project;
using compose::Service;

constexpr int kNone = -1;

class Builder {
 public:
  explicit Builder(Plan& plan) : plan_(plan) {}
  int add(ActionKind kind, std::string service, std::string reason, std::vector<int> after = {},
          std::string container = {}, int number = 1) {
    after.erase(std::remove(after.begin(), after.end(), kNone), after.end());
    std::sort(after.begin(), after.end());
    after.erase(std::unique(after.begin(), after.end()), after.end());
    Action a{kind, std::move(service), std::move(reason), std::move(after), std::move(container)};
    a.number = number;
    plan_.actions.push_back(std::move(a));
    return static_cast<int>(plan_.actions.size()) - 1;
  }

 private:
  Plan& plan_;
};

std::string condition_of(const Service& s, const std::string& dep) {
  auto it = s.depends_on.find(dep);
  return it == s.depends_on.end() ? "service_started" : it->second.condition;
}

bool restarts_with(const Service& s, const std::string& dep) {
  auto it = s.depends_on.find(dep);
  return it != s.depends_on.end() && it->second.restart;
}

// volumes_from: the other container must exist when this one is created.
bool mounts_from(const Service& s, const std::string& dep) {
  for (const auto& from : s.volumes_from)
    if (from.substr(0, from.find(':')) == dep) return true;
  return false;
}

bool is_provider(const Project& p, const std::string& name) {
  auto it = p.services.find(name);
  return it != p.services.end() && it->second.provider;
}

bool known_service(const Project& p, const std::string& name) {
  return p.services.count(name) || p.disabled_services.count(name);
}

std::set<std::string> used_volumes(const Project& p, const std::set<std::string>& services) {
  std::set<std::string> keys;
  for (const auto& name : services)
    for (const auto& m : p.services.at(name).volumes)
      if (m.type == "volume" && !m.source.empty()) keys.insert(m.source);
  return keys;
}

std::vector<std::string> users_of_network(const Project& p, const std::string& key) {
  std::vector<std::string> users;
  for (const auto& [name, s] : p.services)
    if (s.networks.count(key)) users.push_back(name);
  return users;
}

std::vector<std::string> users_of_volume(const Project& p, const std::set<std::string>& services,
                                         const std::string& key) {
  std::vector<std::string> users;
  for (const auto& name : services)
    for (const auto& m : p.services.at(name).volumes)
      if (m.type == "volume" && m.source == key) {
        users.push_back(name);
        break;
      }
  return users;
}

bool in_pod(const Observed& obs, const ObservedContainer& c) {
  return obs.pod && c.pod_id == obs.pod->id;
}

// The containers qpod did not create that are in the project's pod: removing the pod would
// remove them too, so the pod stays (down) or is not recreated (up).
std::vector<std::string> foreign_in_pod(const Observed& obs) {
  std::vector<std::string> names;
  for (const auto& c : obs.foreign)
    if (in_pod(obs, c)) names.push_back(c.name);
  return names;
}

// "containers [x y] ...: left alone", or "" when there are none.
std::string foreign_warning(const Observed& obs) {
  if (obs.foreign.empty()) return {};
  std::vector<std::string> names;
  for (const auto& c : obs.foreign) names.push_back(c.name);
  return "Found containers ([" + join(names, " ") +
         "]) with this project's label or in its pod; not created by qpod: left alone.";
}

// Per service: the action after which it is up (started), and the actions dependants wait for.
struct ServiceActions {
  int created = kNone;   // create (or the remove before it)
  int started = kNone;   // the start
  bool changed = false;  // recreated or restarted: dependants with restart: true follow
  int healthy = kNone, completed = kNone;                    // waits, made on demand
  int healthy_optional = kNone, completed_optional = kNone;  // the same for required: false
  int replicas = 1;  // its containers: waits are for each of them
};

// How many containers `s` runs: up --scale, else scale / deploy.replicas, else one.
int replicas_of(const Service& s, const UpOptions& o) {
  auto it = o.scale.find(s.name);
  return it != o.scale.end() ? it->second : s.scale.value_or(1);
}

// Containers of one service share the pod's network: a host port is published once, on the
// pod, and a fixed container_name names one container. Refused before anything is created.
void check_replicas(const Service& s, int replicas, std::vector<std::string>& errors) {
  if (replicas <= 1) return;
  std::string n = std::to_string(replicas);
  if (!s.container_name.empty())
    errors.push_back("service " + s.name + " sets container_name " + s.container_name +
                     ", so it cannot run " + n + " containers");
  const compose::Node* ports = s.node.find("ports");
  for (std::size_t i = 0; i < s.ports.size(); ++i) {
    const compose::Port& port = s.ports[i];
    if (port.published.empty()) continue;
    std::string path = "services." + s.name + ".ports[" + std::to_string(i) + "]";
    std::string message = "service " + s.name + " cannot run " + n +
                          " containers: they share the pod's network, where host port " +
                          port.published + "/" + port.protocol +
                          " is published once; remove the host port, or run one container";
    if (ports && ports->is_sequence() && i < ports->size())
      errors.push_back(format(compose::error_at(ports->items[i], path, message)));
    else
      errors.push_back(path + ": " + message);
  }
}

// One `kind` action per container 1..replicas, one after the other; the last one (or `after`).
int each_container(Builder& b, ActionKind kind, const std::string& service,
                   const std::string& reason, int after, int replicas, std::set<int>* optional) {
  int last = after;
  for (int k = 1; k <= replicas; ++k) {
    last = b.add(kind, service, reason, {after, last}, {}, k);
    if (optional) optional->insert(last);
  }
  return last;
}

bool required_by(const Service& s, const std::string& dep) {
  auto it = s.depends_on.find(dep);
  return it == s.depends_on.end() || it->second.required;
}

}  // namespace

ObserveOptions observe_options_for_up(const Project& p) {
  return {!p.volumes.empty(), !pod_networks(p).empty(), images_of(p)};
}

ObserveOptions observe_options_for_down(const DownOptions& o) { return {o.volumes, true, {}}; }

std::set<std::string> default_up_selection(const Project& p, const graph::ServiceGraph& g) {
  std::vector<std::string> with_up;
  for (const auto& name : g.services())
    if (const auto& s = p.services.at(name); !s.qpod || s.qpod->start == "auto")
      with_up.push_back(name);
  if (with_up.size() == g.services().size()) return {with_up.begin(), with_up.end()};
  return g.select(with_up, true);
}

Plan plan_up(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
             const UpOptions& o) {
  Plan plan;
  Builder b(plan);
  std::set<std::string> selected;
  if (o.services.empty() && !o.pod_only) {
    selected = default_up_selection(p, g);
  } else {
    selected = g.select(o.services, !o.no_deps);
  }
  std::vector<std::string> order;  // the selected services, dependencies first
  for (const auto& name : g.topological_order())
    if (selected.count(name)) order.push_back(name);
  for (const auto& [name, n] : o.scale)
    if (!p.services.count(name)) plan.errors.push_back("--scale " + name + ": no such service");
  for (const auto& name : order)
    check_replicas(p.services.at(name), replicas_of(p.services.at(name), o), plan.errors);
  if (!plan.errors.empty()) return plan;

  // Containers qpod did not create are left alone; one that holds the name of a container up
  // would create, or sits in a pod up would recreate, stops up before anything changes.
  for (const auto& c : obs.foreign)
    for (const auto& name : order)
      for (int k = 1; k <= replicas_of(p.services.at(name), o); ++k)
        if (c.name == container_name(p, p.services.at(name), k))
          plan.errors.push_back(
              "service " + name + ": the container name " + c.name +
              " is taken by a container qpod did not create; rename or remove it");
  if (auto held = foreign_in_pod(obs);
      !held.empty() && obs.pod->hash != pod_hash(p) && !o.no_recreate)
    plan.errors.push_back("pod " + obs.pod->name + " must be recreated (its ports or hosts " +
                          "changed) but holds containers qpod did not create ([" + join(held, " ") +
                          "]); remove them, or run with --no-recreate");
  if (auto w = foreign_warning(obs); !w.empty()) plan.warnings.push_back(w);

  // External networks and volumes must exist: refused before anything is created.
  for (const auto& key : pod_networks(p)) {
    auto it = p.networks.find(key);
    if (it != p.networks.end() && it->second.external && !obs.networks.count(it->second.name))
      plan.errors.push_back("network " + it->second.name + " (networks." + key + ", used by " +
                            join(users_of_network(p, key), ", ") +
                            ") is external but does not exist; create it with `podman network "
                            "create " +
                            it->second.name + "`");
  }
  for (const auto& key : used_volumes(p, selected)) {
    auto it = p.volumes.find(key);
    if (it != p.volumes.end() && it->second.external && !obs.volumes.count(it->second.name))
      plan.errors.push_back("volume " + it->second.name + " (volumes." + key + ", used by " +
                            join(users_of_volume(p, selected, key), ", ") +
                            ") is external but does not exist; create it with `podman volume "
                            "create " +
                            it->second.name + "`");
  }
  if (!plan.errors.empty()) return plan;

  // Images first, and everything else after them: a failed build or pull creates nothing, so
  // the `up` after the fix starts from a clean state. Builds go one at a time (podman build
  // uses every core); pulls run in parallel.
  ImageDecision images = decide_images(p, order, obs.images, o.images);
  if (!images.errors.empty()) {
    plan.errors = images.errors;
    return plan;
  }
  std::map<std::string, int> image_step;  // image -> its build or pull
  std::set<std::string> rebuilt;
  std::vector<int> image_steps;
  int last_build = kNone;
  for (const auto& st : images.steps) {
    bool build = st.kind == ActionKind::Build;
    int i = b.add(st.kind, st.service, st.reason,
                  build ? std::vector<int>{last_build} : std::vector<int>{});
    if (build) {
      last_build = i;
      rebuilt.insert(st.image);
    }
    image_step[st.image] = i;
    image_steps.push_back(i);
  }

  // Networks and volumes next: the pod and the containers refer to them.
  std::vector<int> infra;
  for (const auto& key : pod_networks(p)) {
    auto it = p.networks.find(key);
    if (it != p.networks.end() && it->second.external) continue;
    if (!obs.networks.count(network_name(p, key)))
      infra.push_back(b.add(ActionKind::CreateNetwork, key, "not found", image_steps));
  }
  std::vector<int> volumes;
  for (const auto& key : used_volumes(p, selected)) {
    auto it = p.volumes.find(key);
    if (it == p.volumes.end() || it->second.external) continue;
    if (!obs.volumes.count(volume_name(p, key)))
      volumes.push_back(b.add(ActionKind::CreateVolume, key, "not found", image_steps));
  }

  // The pod. Its published ports and hosts cannot change: a changed pod is recreated, and
  // with it every container it held.
  int pod = kNone;
  bool pod_new = false;
  std::string pod_hash_now = pod_hash(p);
  if (!obs.pod) {
    for (const auto& c : obs.containers)  // qpod's containers outside any pod: names clash
      if (!c.oneoff && known_service(p, c.service))
        infra.push_back(
            b.add(ActionKind::Remove, c.service, "not in the pod", image_steps, c.name));
    infra.insert(infra.end(), image_steps.begin(), image_steps.end());
    pod = b.add(ActionKind::CreatePod, "", "not found", infra);
    pod_new = true;
  } else if (obs.pod->hash != pod_hash_now && !o.no_recreate) {
    int rm = b.add(ActionKind::RemovePod, "", "pod config changed", image_steps);
    infra.push_back(rm);
    pod = b.add(ActionKind::CreatePod, "", "pod config changed", infra);
    pod_new = true;
    for (const auto& c : obs.containers)  // what the pod held comes back
      if (p.services.count(c.service)) selected.insert(c.service);
  } else if (obs.pod->hash != pod_hash_now) {
    plan.warnings.push_back("pod " + obs.pod->name +
                            " has an outdated configuration (ports, "
                            "hosts); kept because of --no-recreate");
  }

  // Orphans: qpod's containers of services that are no longer in the project.
  std::vector<std::string> orphans;
  for (const auto& c : obs.containers) {
    if (c.oneoff || known_service(p, c.service)) continue;
    if (pod_new && in_pod(obs, c)) continue;  // gone with the pod
    if (o.remove_orphans)
      b.add(ActionKind::Remove, c.service, "orphan", {}, c.name);
    else
      orphans.push_back(c.name);
  }
  if (!orphans.empty()) {
    plan.warnings.push_back("Found orphan containers ([" + join(orphans, " ") +
                            "]) for this project. If you removed or renamed this service in "
                            "your compose file, you can run this command with the "
                            "--remove-orphans flag to clean it up.");
  }

  std::map<std::string, ServiceActions> done;
  // The action dependants of `dep` wait for, under `condition`; kNone = nothing to wait for.
  // With required: false, a dependency that never becomes healthy (or fails) is a warning and
  // the dependant starts anyway, as docker compose does: its wait is a separate, optional action.
  auto ready = [&](const std::string& dep, const std::string& condition, bool required) -> int {
    auto it = done.find(dep);
    if (it == done.end()) return kNone;  // not selected (--no-deps): not waited for
    ServiceActions& d = it->second;
    auto wait = [&](int& slot, ActionKind kind) {
      if (slot == kNone)
        slot = each_container(b, kind, dep, required ? "" : "required: false", d.started,
                              d.replicas, required ? nullptr : &plan.optional);
      return slot;
    };
    if (is_provider(p, dep)) return d.started;  // a provider is ready when its `up` is done
    if (condition == "service_healthy")
      return wait(required ? d.healthy : d.healthy_optional, ActionKind::WaitHealthy);
    if (condition == "service_completed_successfully")
      return wait(required ? d.completed : d.completed_optional, ActionKind::WaitCompleted);
    return d.started;
  };

  for (const auto& name : g.topological_order()) {
    if (!selected.count(name)) continue;
    const Service& s = p.services.at(name);
    ServiceActions a;
    a.replicas = replicas_of(s, o);

    std::string image = image_of(p, s);
    int image_ready = image_step.count(image) ? image_step.at(image) : kNone;
    std::vector<int> create_after_all = volumes;
    create_after_all.push_back(pod);
    create_after_all.push_back(image_ready);
    std::vector<int> start_after_all;
    bool dep_changed = false;
    for (const auto& dep : g.dependencies(name)) {
      if (auto it = done.find(dep); it != done.end()) {
        if (mounts_from(s, dep)) create_after_all.push_back(it->second.created);
        // A provider's variables go into the container when it is created.
        if (is_provider(p, dep)) create_after_all.push_back(it->second.started);
        if (it->second.changed && restarts_with(s, dep)) dep_changed = true;
      }
      if (!o.create_only)  // nothing starts: no dependency to wait for
        start_after_all.push_back(ready(dep, condition_of(s, dep), required_by(s, dep)));
    }
    if (s.provider) {  // no container: its program runs on every up (it must be idempotent)
      a.created = a.started = b.add(ActionKind::ProviderUp, name, "provider", start_after_all);
      done[name] = a;
      continue;
    }
    // Scaled down: the highest numbers go.
    if (!pod_new)
      for (const auto* c : obs.all_of(name))
        if (c->number > a.replicas)
          b.add(ActionKind::Remove, name, "scaled down", {}, c->name, c->number);

    std::string hash = compose::service_hash(s);
    bool warned = false;
    int previous = kNone;  // the containers of a service start one after the other
    for (int k = 1; k <= a.replicas; ++k) {
      const ObservedContainer* c = pod_new ? nullptr : obs.find(name, k);
      std::vector<int> create_after = create_after_all, start_after = start_after_all;
      start_after.push_back(previous);
      int created = kNone, started = kNone;
      std::string why;  // why (re)create
      if (!c)
        why = pod_new && obs.pod ? "pod recreated" : "not found";
      else if (o.force_recreate)
        why = "forced";
      else if (c->hash != hash && !o.no_recreate)
        why = "config hash changed";
      else if (rebuilt.count(image) && !o.no_recreate)
        why = "image rebuilt";

      if (!why.empty()) {
        if (!warned)
          for (const auto& w : service_warnings(p, s))
            plan.warnings.push_back("service " + name + ": " + w);
        warned = true;
        if (c)
          create_after.push_back(b.add(ActionKind::Remove, name, why, {image_ready}, c->name, k));
        // A dependency that is only to be started needs no create-ahead: one `podman run` after
        // its start is one podman process instead of two on the chain's critical path. A wait
        // (healthy, completed) can take long: creating meanwhile leaves only the start after it.
        bool gated = std::any_of(start_after.begin(), start_after.end(), [&](int i) {
          if (i == kNone) return false;
          ActionKind kind = plan.actions[static_cast<std::size_t>(i)].kind;
          return kind == ActionKind::WaitHealthy || kind == ActionKind::WaitCompleted;
        });
        if (o.create_only) {
          created = b.add(ActionKind::CreateContainer, name, why, create_after, {}, k);
        } else if (gated) {  // create now, start once the dependencies are ready
          created = b.add(ActionKind::CreateContainer, name, why, create_after, {}, k);
          start_after.push_back(created);
          started = b.add(ActionKind::Start, name, "created", start_after, {}, k);
        } else {  // one podman process instead of two
          create_after.insert(create_after.end(), start_after.begin(), start_after.end());
          created = started = b.add(ActionKind::Run, name, why, create_after, {}, k);
        }
        a.changed = true;
      } else if (o.create_only) {
        // exists: nothing to create, nothing to start
      } else if (dep_changed) {
        int stop = c->running()
                       ? b.add(ActionKind::Stop, name, "dependency changed", {}, c->name, k)
                       : kNone;
        start_after.push_back(stop);
        started = b.add(ActionKind::Start, name, "dependency changed", start_after, {}, k);
        a.changed = true;
      } else if (!c->running()) {
        started = b.add(ActionKind::Start, name, c->state, start_after, {}, k);
      }
      if (k == 1) a.created = created;
      if (started != kNone) previous = started;
    }
    a.started = previous;
    done[name] = a;
  }

  // --wait: each selected service must end up running, and healthy when it has a check. A
  // service others wait for to complete is already waited for.
  if (o.wait && !o.create_only) {
    for (const auto& name : order) {
      if (is_provider(p, name)) continue;  // up once its program is done
      ServiceActions& a = done[name];
      const auto& hc = p.services.at(name).healthcheck;
      bool checked = hc && !hc->disable && !hc->test.empty() && hc->test[0] != "NONE";
      if (checked && a.healthy == kNone)
        a.healthy =
            each_container(b, ActionKind::WaitHealthy, name, "wait", a.started, a.replicas, {});
      else if (!checked && a.completed == kNone)
        each_container(b, ActionKind::WaitRunning, name, "wait", a.started, a.replicas, {});
    }
  }
  return plan;
}

Plan plan_down(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
               const DownOptions& o) {
  Plan plan;
  Builder b(plan);
  bool whole_project = p.services.empty() && p.disabled_services.empty();
  // Only what qpod created goes (obs.containers); obs.foreign is left alone.
  std::vector<const ObservedContainer*> ours, orphans;
  for (const auto& c : obs.containers) {
    if (whole_project || known_service(p, c.service) || c.oneoff || o.remove_orphans)
      ours.push_back(&c);
    else
      orphans.push_back(&c);
  }
  // The pod goes only when nothing that stays is in it: `pod rm` would take it along.
  std::vector<std::string> kept_in_pod = foreign_in_pod(obs);
  for (const auto* c : orphans)
    if (in_pod(obs, *c)) kept_in_pod.push_back(c->name);
  bool remove_pod = obs.pod && kept_in_pod.empty();

  // Stop in reverse dependency order: a running service that has running dependencies stops
  // before them. The rest stop together when the pod goes (podman stops them in parallel).
  std::map<std::string, const ObservedContainer*> running;
  for (const auto* c : ours)
    if (c->running() && !c->oneoff) running[c->service] = c;
  std::map<std::string, int> stop_of;
  std::vector<int> stops;
  auto order = g.stop_order();
  for (const auto& name : order) {
    if (!running.count(name) || !p.services.count(name)) continue;
    std::vector<int> after;
    for (const auto& dependant : g.dependants(name))
      if (auto it = stop_of.find(dependant); it != stop_of.end()) after.push_back(it->second);
    if (!p.services.at(name).pre_stop.empty()) {  // each container stops after its hooks
      for (const auto* c : ours)
        if (c->service == name && c->running() && !c->oneoff)
          stops.push_back(stop_of[name] =
                              b.add(ActionKind::Stop, name, "pre_stop", after, c->name, c->number));
      continue;
    }
    bool has_running_dep = false;
    for (const auto& dep : g.dependencies(name)) has_running_dep |= running.count(dep) > 0;
    if (!has_running_dep) continue;  // stopped with the pod, after every explicit stop
    // With no grace period (-t 0) every container is killed at once: no one can shut down
    // cleanly, so an order buys nothing and the pod removal stops them all in parallel.
    if (o.timeout_s && *o.timeout_s == 0) continue;
    stop_of[name] = b.add(ActionKind::Stop, name, "", after, running[name]->name);
    stops.push_back(stop_of[name]);
  }

  std::vector<int> removed = stops;
  if (remove_pod) {
    removed = {b.add(ActionKind::RemovePod, "", "", stops)};
    auto& members = plan.actions.back().members;  // progress names each, as docker's down does
    for (const auto* c : ours)
      if (in_pod(obs, *c)) members.push_back(c->name);
    std::sort(members.begin(), members.end());
  }
  for (const auto* c : ours)  // those outside the pod (whose pod is gone) one by one
    if (!remove_pod || !in_pod(obs, *c))
      removed.push_back(b.add(ActionKind::Remove, c->service, "", stops, c->name));
  if (!orphans.empty()) {
    std::vector<std::string> names;
    for (const auto* c : orphans) names.push_back(c->name);
    plan.warnings.push_back("Found orphan containers ([" + join(names, " ") +
                            "]) for this project" +
                            (remove_pod || !obs.pod ? "" : "; the pod is kept") +
                            ". Run with --remove-orphans to remove them.");
  }
  if (auto w = foreign_warning(obs); !w.empty()) plan.warnings.push_back(w);
  if (auto held = foreign_in_pod(obs); !held.empty())
    plan.warnings.push_back("pod " + obs.pod->name + " is kept: removing it would remove [" +
                            join(held, " ") + "], which qpod did not create");
  // Provider services: their program's `down`, after the containers, dependants first.
  std::map<std::string, int> provider_down;
  for (const auto& name : g.stop_order()) {
    if (!is_provider(p, name)) continue;
    std::vector<int> after = removed;
    for (const auto& dependant : g.dependants(name))
      if (auto it = provider_down.find(dependant); it != provider_down.end())
        after.push_back(it->second);
    provider_down[name] = b.add(ActionKind::ProviderDown, name, "", after);
  }
  if (obs.pod && !remove_pod) return plan;  // networks are in use by the pod

  // --rmi local: the images qpod built under its own name (no `image:`); all: every image.
  if (!o.rmi.empty()) {
    std::set<std::string> images;
    for (const auto* services : {&p.services, &p.disabled_services})
      for (const auto& [name, s] : *services)
        if (!s.provider && (o.rmi == "all" || s.image.empty())) images.insert(image_of(p, s));
    // The QPOD environment's image: qpod named it when x-qpod builds it without a name or tag.
    if (p.qpod &&
        (o.rmi == "all" || (p.qpod->build && p.qpod->image.empty() && p.qpod->build->tags.empty())))
      images.insert(compose::environment_image(p));
    for (const auto& image : images) b.add(ActionKind::RemoveImage, image, "", removed);
  }

  for (const auto& net : obs.project_networks) b.add(ActionKind::RemoveNetwork, net, "", removed);
  if (o.volumes) {
    // Volumes qpod created, and the project's named volumes even if something else made them.
    std::set<std::string> names = obs.project_volumes;
    for (const auto& [key, v] : p.volumes)
      if (!v.external && obs.volumes.count(volume_name(p, key))) names.insert(volume_name(p, key));
    for (const auto& name : names) b.add(ActionKind::RemoveVolume, name, "", removed);
  }
  return plan;
}

namespace {

std::set<std::string> lifecycle_selection(const Project& p, const LifecycleOptions& o) {
  if (o.services.empty()) {
    std::set<std::string> all;
    for (const auto& [name, s] : p.services) all.insert(name);
    return all;
  }
  return {o.services.begin(), o.services.end()};
}

// Start or restart the selected containers in dependency order; a dependant waits for its
// selected dependencies' conditions (healthy, completed), as in `up`.
Plan plan_in_order(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
                   const LifecycleOptions& o, ActionKind kind) {
  Plan plan;
  Builder b(plan);
  auto selected = lifecycle_selection(p, o);
  std::map<std::string, ServiceActions> done;
  for (const auto& name : g.topological_order()) {
    if (!selected.count(name)) continue;
    auto containers = obs.all_of(name);
    if (containers.empty()) continue;
    if (kind == ActionKind::Start &&
        std::all_of(containers.begin(), containers.end(), [](auto* c) { return c->running(); })) {
      done[name] = {};
      continue;
    }
    const Service& s = p.services.at(name);
    std::vector<int> after;
    for (const auto& dep : g.dependencies(name)) {
      auto it = done.find(dep);
      if (it == done.end() || it->second.started == kNone) continue;
      ServiceActions& d = it->second;
      std::string condition = condition_of(s, dep);
      if (condition == "service_healthy") {
        if (d.healthy == kNone)
          d.healthy =
              each_container(b, ActionKind::WaitHealthy, dep, "", d.started, d.replicas, {});
        after.push_back(d.healthy);
      } else if (condition == "service_completed_successfully") {
        if (d.completed == kNone)
          d.completed =
              each_container(b, ActionKind::WaitCompleted, dep, "", d.started, d.replicas, {});
        after.push_back(d.completed);
      } else {
        after.push_back(d.started);
      }
    }
    ServiceActions a;
    a.replicas = static_cast<int>(containers.size());
    for (const auto* c : containers) {  // one after the other, so a.started covers them all
      if (kind == ActionKind::Start && c->running()) continue;
      std::vector<int> after_previous = after;
      after_previous.push_back(a.started);
      a.started = b.add(kind, name, c->state, after_previous, c->name, c->number);
    }
    done[name] = a;
  }
  return plan;
}

}  // namespace

std::vector<std::string> missing_containers(const Project& p, const Observed& obs,
                                            const LifecycleOptions& o) {
  std::vector<std::string> missing;
  for (const auto& name : lifecycle_selection(p, o))
    if (!obs.find(name) && !is_provider(p, name)) missing.push_back(name);
  return missing;
}

Plan plan_start(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
                const LifecycleOptions& o) {
  return plan_in_order(p, g, obs, o, ActionKind::Start);
}

Plan plan_restart(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
                  const LifecycleOptions& o) {
  return plan_in_order(p, g, obs, o, ActionKind::Restart);
}

Plan plan_stop(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
               const LifecycleOptions& o) {
  Plan plan;
  Builder b(plan);
  bool whole_project = p.services.empty();  // known by name only: every container
  auto selected = lifecycle_selection(p, o);
  std::map<std::string, std::vector<int>> stop_of;  // each running container of the service
  for (const auto& name : g.stop_order()) {
    if (!selected.count(name)) continue;
    std::vector<int> after;
    for (const auto& dependant : g.dependants(name))
      if (auto it = stop_of.find(dependant); it != stop_of.end())
        after.insert(after.end(), it->second.begin(), it->second.end());
    if (is_provider(p, name)) {  // its program's `stop`, when it has one
      stop_of[name].push_back(b.add(ActionKind::ProviderStop, name, "", after));
      continue;
    }
    for (const auto* c : obs.all_of(name))
      if (c->running())
        stop_of[name].push_back(b.add(ActionKind::Stop, name, "", after, c->name, c->number));
  }
  if (whole_project)
    for (const auto& c : obs.containers)
      if (c.running() && !c.oneoff) b.add(ActionKind::Stop, c.service, "", {}, c.name);
  return plan;
}

}  // namespace qpod::engine
