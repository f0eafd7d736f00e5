#include "engine/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "compose/bind.h"
#include "podman/podman_argv.h"

namespace qpod::engine {
namespace {

using compose::Project;
using compose::Service;

constexpr int kNone = -1;

// An error of the plan that no file position goes with.
Diagnostic plan_error(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }

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
  Action& action(int i) { return plan_.actions[static_cast<std::size_t>(i)]; }

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

// Per service: the actions after which it is up (started), and the actions dependants wait
// for. A scaled service's containers are independent of each other (they are created and
// started in parallel); a dependant waits for every one of them, as in docker compose.
struct ServiceActions {
  int created = kNone;         // the first container's create (or the remove before it)
  std::map<int, int> started;  // container number -> its start (kNone: already running)
  bool changed = false;        // recreated or restarted: dependants with restart: true follow
  std::vector<int> healthy, completed;                    // waits, made on demand
  std::vector<int> healthy_optional, completed_optional;  // the same for required: false
};

// The starts of every container of a service (kNone dropped): a dependant comes after all.
std::vector<int> all_started(const ServiceActions& a) {
  std::vector<int> out;
  for (const auto& [number, i] : a.started)
    if (i != kNone) out.push_back(i);
  return out;
}

// How many containers `s` runs: up --scale, else scale / deploy.replicas, else one.
int replicas_of(const Service& s, const UpOptions& o) {
  auto it = o.scale.find(s.name);
  return it != o.scale.end() ? it->second : s.scale.value_or(1);
}

// Containers of one service share the pod's network namespace: a container port that one of
// them listens on is taken for the others (they fail to bind it), so a warning names the
// service and its ports (`ports` without a host port, `expose`). A program that picks a free
// port, or a port given per container, still works: not refused.
void warn_shared_ports(const Service& s, int replicas, std::vector<std::string>& warnings) {
  std::vector<std::string> ports;
  for (std::size_t i = 0; i < s.ports.size(); ++i)
    if (s.ports[i].published.empty() && s.ports[i].target != 0)
      ports.push_back(std::to_string(s.ports[i].target) + "/" + s.ports[i].protocol + " (ports[" +
                      std::to_string(i) + "])");
  for (std::size_t i = 0; i < s.expose.size(); ++i)
    ports.push_back(s.expose[i] + " (expose[" + std::to_string(i) + "])");
  if (ports.empty()) return;
  warnings.push_back("service " + s.name + " runs " + std::to_string(replicas) +
                     " containers in one pod, which share its network: only one of them can "
                     "listen on each of its container ports " +
                     join(ports, ", ") + "; the others fail to bind the same port");
}

// Containers of one service share the pod's network: a host port is published once, on the
// pod, and a fixed container_name names one container. Refused before anything is created.
void check_replicas(const Service& s, int replicas, Diagnostics& errors,
                    std::vector<std::string>& warnings) {
  if (replicas <= 1) return;
  std::string n = std::to_string(replicas);
  if (!s.container_name.empty())
    errors.push_back(plan_error("service " + s.name + " sets container_name " + s.container_name +
                                ", so it cannot run " + n + " containers"));
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
      errors.push_back(compose::error_at(ports->items[i], path, message));
    else
      errors.push_back(Diagnostic{"", 0, 0, path, message});
  }
  warn_shared_ports(s, replicas, warnings);
}

// One `kind` action per container of `a`, each after that container's start: the containers
// of a service are waited for in parallel. A dependant comes after all of them.
std::vector<int> each_container(Builder& b, ActionKind kind, const std::string& service,
                                const std::string& reason, const ServiceActions& a,
                                std::set<int>* optional, Waiter waiter = Waiter::Dependant) {
  std::vector<int> waits;
  for (const auto& [number, started] : a.started) {
    int w = b.add(kind, service, reason, {started}, {}, number);
    b.action(w).waiter = waiter;
    if (optional) optional->insert(w);
    waits.push_back(w);
  }
  return waits;
}

bool required_by(const Service& s, const std::string& dep) {
  auto it = s.depends_on.find(dep);
  return it == s.depends_on.end() || it->second.required;
}

}  // namespace

ObserveOptions observe_options_for_up(const Project& p) {
  return {!p.volumes.empty(), !podman::pod_networks(p).empty(), images_of(p)};
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

namespace {

// plan_up's steps, in the order they add actions: checks (nothing added when one fails),
// images, networks and volumes, the pod, orphans, each service's containers, --wait.
class UpPlanner {
 public:
  UpPlanner(const Project& p, const graph::ServiceGraph& g, const Observed& obs, const UpOptions& o)
      : p_(p), g_(g), obs_(obs), o_(o), b_(plan_) {}

  Plan run() {
    select();
    if (!check_replicas_and_scale()) return std::move(plan_);
    check_foreign();
    if (!check_external()) return std::move(plan_);
    if (!add_images()) return std::move(plan_);
    add_networks_and_volumes();
    add_pod();
    add_orphans();
    for (const auto& name : g_.topological_order())
      if (selected_.count(name)) add_service(p_.services.at(name));
    if (o_.wait && !o_.create_only) add_up_wait();
    return std::move(plan_);
  }

 private:
  // The selected services, and `order_`: them, dependencies first.
  void select() {
    if (o_.services.empty() && !o_.pod_only)
      selected_ = default_up_selection(p_, g_);
    else
      selected_ = g_.select(o_.services, !o_.no_deps);
    for (const auto& name : g_.topological_order())
      if (selected_.count(name)) order_.push_back(name);
  }

  int replicas(const std::string& name) const { return replicas_of(p_.services.at(name), o_); }

  bool check_replicas_and_scale() {
    for (const auto& [name, n] : o_.scale)
      if (!p_.services.count(name))
        plan_.errors.push_back(plan_error("--scale " + name + ": no such service"));
    for (const auto& name : order_)
      check_replicas(p_.services.at(name), replicas(name), plan_.errors, plan_.warnings);
    return plan_.errors.empty();
  }

  // Containers qpod did not create are left alone; one that holds the name of a container up
  // would create, or sits in a pod up would recreate, stops up before anything changes.
  void check_foreign() {
    for (const auto& c : obs_.foreign)
      for (const auto& name : order_)
        for (int k = 1; k <= replicas(name); ++k)
          if (c.name == podman::container_name(p_, p_.services.at(name), k))
            plan_.errors.push_back(
                plan_error("service " + name + ": the container name " + c.name +
                           " is taken by a container qpod did not create; rename or remove it"));
    if (auto held = foreign_in_pod(obs_);
        !held.empty() && obs_.pod->hash != podman::pod_hash(p_) && !o_.no_recreate)
      plan_.errors.push_back(plan_error("pod " + obs_.pod->name +
                                        " must be recreated (its ports or hosts changed) but holds "
                                        "containers qpod did not create ([" +
                                        join(held, " ") +
                                        "]); remove them, or run with --no-recreate"));
    if (auto w = foreign_warning(obs_); !w.empty()) plan_.warnings.push_back(w);
  }

  // External networks and volumes must exist: refused before anything is created. False when
  // there is an error (this step's or an earlier one's).
  bool check_external() {
    for (const auto& key : podman::pod_networks(p_)) {
      auto it = p_.networks.find(key);
      if (it != p_.networks.end() && it->second.external && !obs_.networks.count(it->second.name))
        plan_.errors.push_back(
            plan_error("network " + it->second.name + " (networks." + key + ", used by " +
                       join(users_of_network(p_, key), ", ") +
                       ") is external but does not exist; create it with `podman "
                       "network create " +
                       it->second.name + "`"));
    }
    for (const auto& key : used_volumes(p_, selected_)) {
      auto it = p_.volumes.find(key);
      if (it != p_.volumes.end() && it->second.external && !obs_.volumes.count(it->second.name))
        plan_.errors.push_back(
            plan_error("volume " + it->second.name + " (volumes." + key + ", used by " +
                       join(users_of_volume(p_, selected_, key), ", ") +
                       ") is external but does not exist; create it with `podman "
                       "volume create " +
                       it->second.name + "`"));
    }
    return plan_.errors.empty();
  }

  // Images first, and everything else after them: a failed build or pull creates nothing, so
  // the `up` after the fix starts from a clean state. Builds go one at a time (podman build
  // uses every core); pulls run in parallel.
  bool add_images() {
    ImageDecision images = decide_images(p_, order_, obs_.images, o_.images);
    if (!images.errors.empty()) {
      plan_.errors = images.errors;
      return false;
    }
    int last_build = kNone;
    for (const auto& st : images.steps) {
      bool build = st.kind == ActionKind::Build;
      int i = b_.add(st.kind, st.service, st.reason,
                     build ? std::vector<int>{last_build} : std::vector<int>{});
      if (build) {
        last_build = i;
        rebuilt_.insert(st.image);
      }
      image_step_[st.image] = i;
      image_steps_.push_back(i);
    }
    return true;
  }

  // Networks and volumes next: the pod and the containers refer to them.
  void add_networks_and_volumes() {
    for (const auto& key : podman::pod_networks(p_)) {
      auto it = p_.networks.find(key);
      if (it != p_.networks.end() && it->second.external) continue;
      if (!obs_.networks.count(podman::network_name(p_, key)))
        infra_.push_back(b_.add(ActionKind::CreateNetwork, key, "not found", image_steps_));
    }
    for (const auto& key : used_volumes(p_, selected_)) {
      auto it = p_.volumes.find(key);
      if (it == p_.volumes.end() || it->second.external) continue;
      if (!obs_.volumes.count(podman::volume_name(p_, key)))
        volumes_.push_back(b_.add(ActionKind::CreateVolume, key, "not found", image_steps_));
    }
  }

  // The pod. Its published ports and hosts cannot change: a changed pod is recreated, and
  // with it every container it held.
  void add_pod() {
    std::string pod_hash_now = podman::pod_hash(p_);
    if (!obs_.pod) {
      for (const auto& c : obs_.containers)  // qpod's containers outside any pod: names clash
        if (!c.oneoff && known_service(p_, c.service))
          infra_.push_back(
              b_.add(ActionKind::Remove, c.service, "not in the pod", image_steps_, c.name));
      infra_.insert(infra_.end(), image_steps_.begin(), image_steps_.end());
      pod_ = b_.add(ActionKind::CreatePod, "", "not found", infra_);
      b_.action(pod_).start_pod = !o_.create_only;
      pod_new_ = true;
    } else if (obs_.pod->hash != pod_hash_now && !o_.no_recreate) {
      int rm = b_.add(ActionKind::RemovePod, "", "pod config changed", image_steps_);
      infra_.push_back(rm);
      pod_ = b_.add(ActionKind::CreatePod, "", "pod config changed", infra_);
      b_.action(pod_).start_pod = !o_.create_only;
      pod_new_ = true;
      for (const auto& c : obs_.containers)  // what the pod held comes back
        if (p_.services.count(c.service)) selected_.insert(c.service);
    } else if (obs_.pod->hash != pod_hash_now) {
      plan_.warnings.push_back("pod " + obs_.pod->name +
                               " has an outdated configuration (ports, "
                               "hosts); kept because of --no-recreate");
    }
  }

  // Orphans: qpod's containers of services that are no longer in the project.
  void add_orphans() {
    std::vector<std::string> orphans;
    for (const auto& c : obs_.containers) {
      if (c.oneoff || known_service(p_, c.service)) continue;
      if (pod_new_ && in_pod(obs_, c)) continue;  // gone with the pod
      if (o_.remove_orphans)
        b_.add(ActionKind::Remove, c.service, "orphan", {}, c.name);
      else
        orphans.push_back(c.name);
    }
    if (!orphans.empty()) {
      plan_.warnings.push_back("Found orphan containers ([" + join(orphans, " ") +
                               "]) for this project. If you removed or renamed this service in "
                               "your compose file, you can run this command with the "
                               "--remove-orphans flag to clean it up.");
    }
  }

  // The actions dependants of `dep` wait for, under `condition`: one per container of `dep`
  // (compose waits for every replica); none = nothing to wait for. With required: false, a
  // dependency that never becomes healthy (or fails) is a warning and the dependant starts
  // anyway, as docker compose does: its waits are separate, optional actions.
  std::vector<int> ready(const std::string& dep, const std::string& condition, bool required) {
    auto it = done_.find(dep);
    if (it == done_.end()) return {};  // not selected (--no-deps): not waited for
    ServiceActions& d = it->second;
    auto wait = [&](std::vector<int>& slot, ActionKind kind) {
      if (slot.empty())
        slot = each_container(b_, kind, dep, required ? "" : "required: false", d,
                              required ? nullptr : &plan_.optional);
      return slot;
    };
    if (is_provider(p_, dep)) return all_started(d);  // ready when its `up` is done
    if (condition == "service_healthy")
      return wait(required ? d.healthy : d.healthy_optional, ActionKind::WaitHealthy);
    if (condition == "service_completed_successfully")
      return wait(required ? d.completed : d.completed_optional, ActionKind::WaitCompleted);
    return all_started(d);
  }

  // What every container of a service comes after: for its create, and for its start.
  struct Gates {
    int image_ready = kNone;
    std::vector<int> create_after, start_after;
    bool dep_changed = false;  // a dependency with restart: true was recreated or restarted
  };

  Gates gates_of(const Service& s) {
    Gates gates;
    std::string image = podman::image_of(p_, s);
    gates.image_ready = image_step_.count(image) ? image_step_.at(image) : kNone;
    gates.create_after = volumes_;
    gates.create_after.push_back(pod_);
    gates.create_after.push_back(gates.image_ready);
    for (const auto& dep : g_.dependencies(s.name)) {
      if (auto it = done_.find(dep); it != done_.end()) {
        if (mounts_from(s, dep)) gates.create_after.push_back(it->second.created);
        // A provider's variables go into the container when it is created.
        if (is_provider(p_, dep)) {
          auto up = all_started(it->second);
          gates.create_after.insert(gates.create_after.end(), up.begin(), up.end());
        }
        if (it->second.changed && restarts_with(s, dep)) gates.dep_changed = true;
      }
      if (!o_.create_only) {  // nothing starts: no dependency to wait for
        auto r = ready(dep, condition_of(s, dep), required_by(s, dep));
        gates.start_after.insert(gates.start_after.end(), r.begin(), r.end());
      }
    }
    return gates;
  }

  void add_service(const Service& s) {
    const std::string& name = s.name;
    ServiceActions a;
    int replicas = replicas_of(s, o_);
    Gates gates = gates_of(s);
    if (s.provider) {  // no container: its program runs on every up (it must be idempotent)
      if (!o_.providers_done.count(name))
        a.created = a.started[1] =
            b_.add(ActionKind::ProviderUp, name, "provider", gates.start_after);
      done_[name] = a;
      return;
    }
    // Scaled down: the highest numbers go.
    if (!pod_new_)
      for (const auto* c : obs_.all_of(name))
        if (c->number > replicas)
          b_.add(ActionKind::Remove, name, "scaled down", {}, c->name, c->number);

    bool rebuilt = rebuilt_.count(podman::image_of(p_, s)) > 0;
    std::string hash = compose::service_hash(s);
    bool warned = false;
    for (int k = 1; k <= replicas; ++k) {  // independent of each other: in parallel
      const ObservedContainer* c = pod_new_ ? nullptr : obs_.find(name, k);
      std::string why = recreate_reason(s, c, hash, rebuilt);
      if (!why.empty() && !warned) {
        for (const auto& w : podman::service_warnings(p_, s, o_.host))
          plan_.warnings.push_back("service " + name + ": " + w);
        warned = true;
      }
      auto [created, started] = add_container(s, k, c, why, gates, a.changed);
      if (k == 1) a.created = created;
      a.started[k] = started;
    }
    done_[name] = a;
  }

  // Why (re)create container `c` of `s` (null: there is none); "" = keep it.
  std::string recreate_reason(const Service& s, const ObservedContainer* c, const std::string& hash,
                              bool rebuilt) const {
    if (!c) return pod_new_ && obs_.pod ? "pod recreated" : "not found";
    if (o_.force_recreate) return "forced";
    if (c->hash != hash && !o_.no_recreate) return "config hash changed";
    if (rebuilt && !o_.no_recreate) return "image rebuilt";
    if (provided_changed(s, *c) && !o_.no_recreate) return "provider variables changed";
    return {};
  }

  // Whether the variables providers hand `s` now differ from those container `c` got. Known
  // only when every provider `s` depends on has run already (UpOptions::providers_done).
  bool provided_changed(const Service& s, const ObservedContainer& c) const {
    bool depends = false;
    for (const auto& [dep, d] : s.depends_on) {
      if (!is_provider(p_, dep)) continue;
      if (!o_.providers_done.count(dep)) return false;
      depends = true;
    }
    if (!depends) return false;
    auto it = o_.provided.find(s.name);
    return c.provided_hash !=
           podman::provided_hash(it == o_.provided.end() ? compose::StringMap{} : it->second);
  }

  // Container `k` of `s`: (re)created when `why` says so, else restarted for a changed
  // dependency, or started when it is not running. {created, started}, kNone for none.
  std::pair<int, int> add_container(const Service& s, int k, const ObservedContainer* c,
                                    const std::string& why, const Gates& gates, bool& changed) {
    const std::string& name = s.name;
    std::vector<int> create_after = gates.create_after, start_after = gates.start_after;
    int created = kNone, started = kNone;
    if (!why.empty()) {
      if (c)
        create_after.push_back(
            b_.add(ActionKind::Remove, name, why, {gates.image_ready}, c->name, k));
      // A dependency that is only to be started needs no create-ahead: one `podman run` after
      // its start is one podman process instead of two on the chain's critical path. A wait
      // (healthy, completed) can take long: creating meanwhile leaves only the start after it.
      bool gated = std::any_of(start_after.begin(), start_after.end(), [&](int i) {
        if (i == kNone) return false;
        ActionKind kind = plan_.actions[static_cast<std::size_t>(i)].kind;
        return kind == ActionKind::WaitHealthy || kind == ActionKind::WaitCompleted;
      });
      if (o_.create_only) {
        created = b_.add(ActionKind::CreateContainer, name, why, create_after, {}, k);
      } else if (gated) {  // create now, start once the dependencies are ready
        created = b_.add(ActionKind::CreateContainer, name, why, create_after, {}, k);
        start_after.push_back(created);
        started = b_.add(ActionKind::Start, name, "created", start_after, {}, k);
      } else {  // one podman process instead of two
        create_after.insert(create_after.end(), start_after.begin(), start_after.end());
        created = started = b_.add(ActionKind::Run, name, why, create_after, {}, k);
      }
      changed = true;
    } else if (o_.create_only) {
      // exists: nothing to create, nothing to start
    } else if (gates.dep_changed) {
      int stop = c->running() ? b_.add(ActionKind::Stop, name, "dependency changed", {}, c->name, k)
                              : kNone;
      start_after.push_back(stop);
      started = b_.add(ActionKind::Start, name, "dependency changed", start_after, {}, k);
      changed = true;
    } else if (!c->running()) {
      started = b_.add(ActionKind::Start, name, c->state, start_after, {}, k);
    }
    return {created, started};
  }

  // --wait: each selected service must end up running, and healthy when it has a check. A
  // service others wait for to complete is already waited for.
  void add_up_wait() {
    for (const auto& name : order_) {
      if (is_provider(p_, name)) continue;  // up once its program is done
      ServiceActions& a = done_[name];
      const auto& hc = p_.services.at(name).healthcheck;
      bool checked = hc && !hc->disable && !hc->test.empty() && hc->test[0] != "NONE";
      if (checked && a.healthy.empty())
        a.healthy =
            each_container(b_, ActionKind::WaitHealthy, name, "wait", a, {}, Waiter::UpWait);
      else if (!checked && a.completed.empty())
        each_container(b_, ActionKind::WaitRunning, name, "wait", a, {}, Waiter::UpWait);
    }
  }

  const Project& p_;
  const graph::ServiceGraph& g_;
  const Observed& obs_;
  const UpOptions& o_;
  Plan plan_;
  Builder b_;
  std::set<std::string> selected_;
  std::vector<std::string> order_;
  std::map<std::string, int> image_step_;  // image -> its build or pull
  std::set<std::string> rebuilt_;
  std::vector<int> image_steps_;
  std::vector<int> infra_;    // networks (and what the pod's creation waits for)
  std::vector<int> volumes_;  // volumes the containers' creation waits for
  int pod_ = kNone;
  bool pod_new_ = false;
  std::map<std::string, ServiceActions> done_;
};

}  // namespace

Plan plan_up(const Project& p, const graph::ServiceGraph& g, const Observed& obs,
             const UpOptions& o) {
  return UpPlanner(p, g, obs, o).run();
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
        if (!s.provider && (o.rmi == "all" || s.image.empty()))
          images.insert(podman::image_of(p, s));
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
      if (!v.external && obs.volumes.count(podman::volume_name(p, key)))
        names.insert(podman::volume_name(p, key));
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
      if (it == done.end() || all_started(it->second).empty()) continue;
      ServiceActions& d = it->second;
      std::string condition = condition_of(s, dep);
      std::vector<int> ready = all_started(d);
      if (condition == "service_healthy") {
        if (d.healthy.empty())
          d.healthy = each_container(b, ActionKind::WaitHealthy, dep, "", d, {});
        ready = d.healthy;
      } else if (condition == "service_completed_successfully") {
        if (d.completed.empty())
          d.completed = each_container(b, ActionKind::WaitCompleted, dep, "", d, {});
        ready = d.completed;
      }
      after.insert(after.end(), ready.begin(), ready.end());
    }
    ServiceActions a;
    for (const auto* c : containers)  // in parallel: a dependant waits for all of them
      a.started[c->number] = kind == ActionKind::Start && c->running()
                                 ? kNone
                                 : b.add(kind, name, c->state, after, c->name, c->number);
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
