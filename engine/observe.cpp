#include "engine/observe.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <nlohmann/json.hpp>

#include "engine/images.h"
#include "podman/labels.h"
#include "podman/podman_argv.h"
#include "podman/podman_json.h"

namespace qpod::engine {
namespace {

using namespace podman::podman_json;

std::vector<HostPort> host_ports(const json& ports) {
  std::vector<HostPort> out;
  if (!ports.is_array()) return out;
  for (const auto& p : ports) {
    auto first = static_cast<int>(num(p, "host_port"));
    auto range = std::max<std::int64_t>(1, num(p, "range"));
    for (int i = 0; i < range; ++i)
      out.push_back({str(p, "host_ip"), first + i, str(p, "protocol")});
  }
  return out;
}

std::string format_ports(const json& ports) {
  std::string s;
  if (!ports.is_array()) return s;
  for (const auto& p : ports) {
    if (!s.empty()) s += ", ";
    std::string ip = str(p, "host_ip");
    s += (ip.empty() ? "0.0.0.0" : ip) + ":" + std::to_string(num(p, "host_port")) + "->" +
         std::to_string(num(p, "container_port")) + "/" + str(p, "protocol");
  }
  return s;
}

Diagnostic failed(const podman::Argv& argv, const podman::RunResult& r) {
  return error(podman::describe_failure(argv, r));
}

}  // namespace

const ObservedContainer* Observed::find(const std::string& service, int number) const {
  const ObservedContainer* found = nullptr;
  for (const auto& c : containers)
    if (c.service == service && !c.oneoff && (number == 0 || c.number == number) &&
        (!found || c.number < found->number))
      found = &c;
  return found;
}

std::vector<const ObservedContainer*> Observed::all_of(const std::string& service) const {
  std::vector<const ObservedContainer*> out;
  for (const auto& c : containers)
    if (c.service == service && !c.oneoff) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->number < b->number; });
  return out;
}

bool has_qpod_labels(const ObservedContainer& c) {
  return podman::labels::has_qpod_labels(c.service, c.hash);
}

bool made_by_qpod(const ObservedContainer& c, const std::optional<ObservedPod>& pod) {
  if (!has_qpod_labels(c)) return false;
  return c.pod_id.empty() || (pod && c.pod_id == pod->id);
}

void split_foreign(Observed& obs) {
  std::vector<ObservedContainer> ours;
  std::set<std::string> seen;
  for (auto& c : obs.containers) {
    seen.insert(c.id);
    (made_by_qpod(c, obs.pod) ? ours : obs.foreign).push_back(std::move(c));
  }
  obs.containers = std::move(ours);
  if (!obs.pod) return;
  for (const auto& [id, name] : obs.pod->members)
    if (!seen.count(id)) {
      ObservedContainer c;
      c.id = id;
      c.name = name;
      c.pod_id = obs.pod->id;
      obs.foreign.push_back(std::move(c));
    }
}

Result<std::vector<ObservedContainer>> parse_ps(const std::string& text,
                                                std::vector<ObservedContainer>* infra) {
  auto arr = parse_array(text, "podman ps");
  if (!arr) return arr.errors();
  std::vector<ObservedContainer> out;
  for (const auto& j : *arr) {
    bool is_infra = j.value("IsInfra", false);
    if (is_infra && !infra) continue;
    ObservedContainer c;
    c.id = str(j, "Id");
    if (auto names = j.find("Names"); names != j.end() && names->is_array() && !names->empty())
      c.name = names->front().get<std::string>();
    c.service = label(j, podman::labels::kService);
    c.hash = label(j, podman::labels::kConfigHash);
    c.provided_hash = label(j, podman::labels::kProvidedHash);
    c.oneoff = label(j, podman::labels::kOneoff) == "True";
    std::string number = label(j, podman::labels::kComposeNumber);
    if (int n = 0;
        std::from_chars(number.data(), number.data() + number.size(), n).ec == std::errc() && n > 0)
      c.number = n;
    c.state = str(j, "State");
    c.status = str(j, "Status");
    c.image = str(j, "Image");
    c.image_id = str(j, "ImageID");
    c.pod_id = str(j, "Pod");
    if (auto cmd = j.find("Command"); cmd != j.end() && cmd->is_array())
      for (const auto& a : *cmd)
        if (a.is_string()) c.command.push_back(a.get<std::string>());
    c.ports = format_ports(j.value("Ports", json()));
    c.host_ports = host_ports(j.value("Ports", json()));
    c.created = num(j, "Created");
    c.started_at = num(j, "StartedAt");
    c.exit_code = static_cast<int>(num(j, "ExitCode"));
    (is_infra ? *infra : out).push_back(std::move(c));
  }
  return out;
}

Result<std::optional<ObservedPod>> parse_pod_ps(const std::string& text, const std::string& name) {
  auto arr = parse_array(text, "podman pod ps");
  if (!arr) return arr.errors();
  for (const auto& j : *arr) {
    if (str(j, "Name") != name) continue;
    ObservedPod pod{str(j, "Id"), name, str(j, "Status"), label(j, podman::labels::kConfigHash)};
    std::string infra = str(j, "InfraId");
    if (auto cs = j.find("Containers"); cs != j.end() && cs->is_array())
      for (const auto& m : *cs)
        if (str(m, "Id") != infra) pod.members.emplace_back(str(m, "Id"), str(m, "Names"));
    return std::optional<ObservedPod>(std::move(pod));
  }
  return std::optional<ObservedPod>();
}

Diagnostics parse_names(const std::string& text, const std::string& project,
                        std::set<std::string>& all, std::set<std::string>& labelled) {
  auto arr = parse_array(text, "podman ls");
  if (!arr) return arr.errors();
  for (const auto& j : *arr) {
    // volumes say "Name" and "Labels", networks "name" and "labels"
    std::string name = j.contains("Name") ? str(j, "Name") : str(j, "name");
    auto labels_it = j.contains("Labels") ? j.find("Labels") : j.find("labels");
    all.insert(name);
    if (labels_it != j.end() && labels_it->is_object() &&
        str(*labels_it, podman::labels::kProject) == project)
      labelled.insert(name);
  }
  return {};
}

Result<Observed> observe(podman::Runtime& rt, const std::string& project, const ObserveOptions& o) {
  // The listings are independent: run them concurrently (each podman call costs 20-40 ms).
  auto launch = [&rt](podman::Argv argv) {
    return std::async(std::launch::async,
                      [&rt, argv = std::move(argv)] { return std::make_pair(argv, rt.run(argv)); });
  };
  auto pods = launch(podman::pod_ps_project(project));
  std::future<std::pair<podman::Argv, podman::RunResult>> volumes, networks;
  if (o.volumes) volumes = launch(podman::volume_ls());
  if (o.networks) networks = launch(podman::network_ls());
  std::future<std::set<std::string>> images;
  if (!o.images.empty())
    images = std::async(std::launch::async, [&rt, &o] { return present_images(rt, o.images); });
  podman::Argv ps_argv = podman::ps_project(project);
  podman::RunResult ps = rt.run(ps_argv);

  Diagnostics errors;
  Observed obs;
  std::vector<ObservedContainer> infra;
  if (!ps.ok()) {
    errors.push_back(failed(ps_argv, ps));
  } else if (auto cs = parse_ps(ps.out, &infra); cs) {
    obs.containers = std::move(cs).value();
  } else {
    errors.insert(errors.end(), cs.errors().begin(), cs.errors().end());
  }
  auto [pod_argv, pod_r] = pods.get();
  if (!pod_r.ok()) {
    errors.push_back(failed(pod_argv, pod_r));
  } else if (auto pod = parse_pod_ps(pod_r.out, project); pod) {
    obs.pod = std::move(pod).value();
  } else {
    errors.insert(errors.end(), pod.errors().begin(), pod.errors().end());
  }
  auto names = [&](std::future<std::pair<podman::Argv, podman::RunResult>>& f,
                   std::set<std::string>& all, std::set<std::string>& labelled) {
    if (!f.valid()) return;
    auto [argv, r] = f.get();
    if (!r.ok()) return errors.push_back(failed(argv, r));
    auto errs = parse_names(r.out, project, all, labelled);
    errors.insert(errors.end(), errs.begin(), errs.end());
  };
  names(volumes, obs.volumes, obs.project_volumes);
  names(networks, obs.networks, obs.project_networks);
  if (images.valid()) obs.images = images.get();
  if (!errors.empty()) return errors;
  if (obs.pod)
    for (const auto& c : infra)
      if (c.pod_id == obs.pod->id) obs.pod->ports = c.host_ports;
  split_foreign(obs);
  return obs;
}

}  // namespace qpod::engine
