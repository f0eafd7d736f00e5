#include "engine/query_commands.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <ostream>
#include <regex>
#include <thread>

#include "base/text.h"
#include "engine/listings.h"
#include "engine/observe.h"
#include "podman/podman_argv.h"

namespace qpod::engine {
namespace {

using compose::Project;

bool wanted(const std::vector<std::string>& services, const std::string& service) {
  return services.empty() || std::find(services.begin(), services.end(), service) != services.end();
}

// The containers of the wanted services, sorted by name.
std::vector<const ObservedContainer*> of_services(const Observed& obs,
                                                  const std::vector<std::string>& services) {
  std::vector<const ObservedContainer*> out;
  for (const auto& c : obs.containers)
    if (wanted(services, c.service)) out.push_back(&c);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

Result<Observed> observe_or_say(podman::Runtime& rt, const std::string& project,
                                std::ostream& err) {
  auto obs = observe(rt, project);
  if (!obs) err << format(obs.errors());
  return obs;
}

}  // namespace

int top(const Project& p, podman::Runtime& rt, const std::vector<std::string>& services,
        std::ostream& out, std::ostream& err) {
  auto obs = observe_or_say(rt, p.name, err);
  if (!obs) return 1;
  for (const auto* c : of_services(*obs, services)) {
    if (!c->running()) continue;
    podman::Argv argv = podman::container_top(c->name);
    podman::RunResult r = rt.run(argv);
    if (!r.ok()) {
      err << podman::describe_failure(argv, r) << "\n";
      return 1;
    }
    out << c->name << "\n" << r.out;
    if (!r.out.empty() && r.out.back() != '\n') out << "\n";
    out << "\n";
  }
  return 0;
}

int port(const Project& p, podman::Runtime& rt, const PortOptions& o, std::ostream& out,
         std::ostream& err) {
  auto obs = observe_or_say(rt, p.name, err);
  if (!obs) return 1;
  const ObservedContainer* c = obs->find(o.service);
  if (o.index > 1 || !c || !c->running()) {
    err << "service \"" << o.service << "\" is not running";
    if (o.index > 1) err << " container #" << o.index;
    err << "\n";
    return 1;
  }
  std::string wanted_port = std::to_string(o.target) + "/" + o.protocol;
  auto no_port = [&] {
    std::vector<std::string> declared;
    if (auto s = p.services.find(o.service); s != p.services.end())
      for (const auto& port : s->second.ports)
        declared.push_back(std::to_string(port.target) + "/" + port.protocol);
    err << "no port " << wanted_port << " for container " << c->name << ": " << join(declared, ", ")
        << "\n";
    return 1;
  };
  // The pod publishes every service's ports: only those this service declares are its own.
  if (auto s = p.services.find(o.service); s != p.services.end()) {
    const auto& ports = s->second.ports;
    if (std::none_of(ports.begin(), ports.end(), [&](const compose::Port& port) {
          return port.target == o.target && port.protocol == o.protocol;
        }))
      return no_port();
  }
  podman::Argv argv = podman::pod_inspect(podman::pod_name(p));
  podman::RunResult r = rt.run(argv);
  if (!r.ok()) {
    err << podman::describe_failure(argv, r) << "\n";
    return 1;
  }
  auto published = published_port(r.out, o.target, o.protocol);
  if (!published) {
    err << format(published.errors());
    return 1;
  }
  if (published->empty()) return no_port();
  out << *published << "\n";
  return 0;
}

int images(const Project& p, podman::Runtime& rt, const ImagesOptions& o, std::ostream& out,
           std::ostream& err) {
  auto obs = observe_or_say(rt, p.name, err);
  if (!obs) return 1;
  auto cs = of_services(*obs, o.services);
  std::vector<std::string> ids;
  for (const auto* c : cs)
    if (std::find(ids.begin(), ids.end(), c->image_id) == ids.end()) ids.push_back(c->image_id);
  std::map<std::string, ImageInfo> info;
  if (!ids.empty()) {
    podman::Argv argv = podman::image_inspect(ids);
    podman::RunResult r = rt.run(argv);
    if (!r.ok()) {
      err << podman::describe_failure(argv, r) << "\n";
      return 1;
    }
    auto parsed = parse_image_inspect(r.out);
    if (!parsed) {
      err << format(parsed.errors());
      return 1;
    }
    info = std::move(parsed).value();
  }
  std::vector<ImageRow> rows;
  for (const auto* c : cs) {
    auto [repository, tag] = split_image_ref(c->image);
    auto it = info.find(c->image_id);
    rows.push_back({c->name, repository, tag, c->image_id, it == info.end() ? 0 : it->second.size});
  }
  if (o.quiet) {
    for (const auto& id : image_ids(rows)) out << id << "\n";
  } else if (o.format == "json") {
    out << images_json(rows);
  } else {
    out << images_table(rows);
  }
  return 0;
}

int ls(podman::Runtime& rt, const LsOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<std::regex> names;
  for (const auto& f : o.filters) {
    auto eq = f.find('=');
    if (eq == std::string::npos || f.substr(0, eq) != "name") {
      err << "invalid filter '" << f.substr(0, eq) << "'\n";
      return 1;
    }
    try {
      names.emplace_back(f.substr(eq + 1));
    } catch (const std::regex_error& e) {
      err << "invalid filter name=" << f.substr(eq + 1) << ": " << e.what() << "\n";
      return 1;
    }
  }
  podman::Argv argv = podman::ps_all_projects(o.all);
  podman::RunResult r = rt.run(argv);
  if (!r.ok()) {
    err << podman::describe_failure(argv, r) << "\n";
    return 1;
  }
  auto rows = projects_from_ps(r.out);
  if (!rows) {
    err << format(rows.errors());
    return 1;
  }
  std::vector<ProjectRow> shown;
  for (const auto& row : *rows)
    if (names.empty() || std::any_of(names.begin(), names.end(), [&](const std::regex& re) {
          return std::regex_search(row.name, re);
        }))
      shown.push_back(row);
  if (o.quiet) {
    for (const auto& row : shown) out << row.name << "\n";
  } else if (o.format == "json") {
    out << projects_json(shown);
  } else {
    out << projects_table(shown);
  }
  return 0;
}

int wait(const Project& p, podman::Runtime& rt, Progress& progress, const WaitOptions& o,
         const RunOptions& run, std::ostream& out, std::ostream& err) {
  auto obs = observe_or_say(rt, p.name, err);
  if (!obs) return 1;
  std::vector<std::string> names;
  for (const auto* c : of_services(*obs, o.services))
    if (!c->oneoff || c->running()) names.push_back(c->name);
  if (names.empty()) {
    err << "no containers for project \"" << p.name << "\"\n";
    return 1;
  }

  // One `podman wait` per container, at once; report each as it stops.
  std::mutex mu;
  std::condition_variable cv;
  std::size_t finished = 0;
  int last_code = 0;
  bool downing = false;
  std::string failure;
  std::vector<std::thread> waiters;
  for (const auto& name : names) {
    waiters.emplace_back([&, name] {
      podman::Argv argv = podman::container_wait(name);
      podman::RunResult r = rt.run(argv);
      std::lock_guard lock(mu);
      ++finished;
      cv.notify_all();
      if (downing) return;  // the project is going away: its containers' fate is known
      if (!r.ok()) {
        if (failure.empty()) failure = podman::describe_failure(argv, r);
        return;
      }
      last_code = std::atoi(trim(r.out).c_str());
      out << "container \"" << name << "\" exited with status code " << last_code << "\n";
    });
  }
  int code = 0;
  {
    std::unique_lock lock(mu);
    // A signal handler cannot notify: poll for Ctrl-C (podman's own wait gets the SIGINT too).
    std::size_t enough = o.down_project ? 1 : names.size();
    while (finished < enough && !(run.cancel && run.cancel->load()))
      cv.wait_for(lock, std::chrono::milliseconds(100));
    if (o.down_project && finished >= 1 && failure.empty()) downing = true;
  }
  if (downing) {
    DownOptions down_options;
    down_options.remove_orphans = true;
    code = down(p, rt, progress, down_options, run, out);
  }
  for (auto& t : waiters) t.join();
  if (!failure.empty()) {
    err << failure << "\n";
    return 1;
  }
  if (run.cancel && run.cancel->load() && !downing) return cancelled_exit_code(run);
  return code != 0 ? code : last_code;
}

}  // namespace qpod::engine
