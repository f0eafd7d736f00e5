#include "env/session.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include "base/hash.h"
#include "compose/bind.h"
#include "engine/images.h"
#include "engine/lock.h"
#include "engine/observe.h"
#include "engine/operations.h"
#include "engine/progress.h"
#include "podman/env_argv.h"
#include "podman/labels.h"
#include "podman/podman_argv.h"

namespace qpod::env {
namespace {

std::string hash_label(const std::vector<std::string>& argv) {
  const std::string prefix = std::string(podman::labels::kConfigHash) + "=";
  for (const auto& a : argv)
    if (a.starts_with(prefix)) return a.substr(prefix.size());
  return "";
}

const engine::ObservedContainer* by_name(const engine::Observed& obs, const std::string& name) {
  for (const auto& c : obs.containers)
    if (c.name == name) return &c;
  return nullptr;
}

// The pod as `up` would make it, and every needed service running its current configuration.
bool services_ready(const compose::Project& p, const std::set<std::string>& needed,
                    const engine::Observed& obs) {
  if (!obs.pod || obs.pod->hash != podman::pod_hash(p)) return false;
  for (const auto& name : needed) {
    const auto* c = obs.find(name);
    if (!c || !c->running() || c->hash != compose::service_hash(p.services.at(name))) return false;
  }
  return true;
}

enum class EnvState { kReady, kStopped, kMissing, kOutdated };

// `image_id`: of a built environment image ("" when the image is not built): a container made
// from an earlier build is outdated.
EnvState env_state(const engine::Observed& obs, const std::string& name, const std::string& hash,
                   const std::string& image_id) {
  const auto* c = by_name(obs, name);
  if (!c) return EnvState::kMissing;
  if (c->hash != hash || (!image_id.empty() && c->image_id != image_id)) return EnvState::kOutdated;
  return c->running() ? EnvState::kReady : EnvState::kStopped;
}

// x-qpod.build: builds the environment image (podman build's output on stderr); its id, or
// nullopt after a failure (reported).
std::optional<std::string> build_environment_image(const compose::Project& built,
                                                   podman::Runtime& rt, std::ostream& err) {
  const std::string image = built.services.begin()->second.image;
  err << "Building the environment image " << image << "\n";
  engine::BuildOptions o;
  o.output = [&err](const std::string& line, bool) { err << line << "\n"; };
  engine::StreamProgress progress(err, err);
  if (engine::build(built, rt, progress, o, {}, err) != 0) return std::nullopt;
  std::string id = engine::image_id(rt, image);
  if (id.empty()) {
    err << "qpod: the environment image " << image << " was not built\n";
    return std::nullopt;
  }
  return id;
}

int fail(const std::vector<std::string>& argv, const podman::RunResult& r, std::ostream& err) {
  err << "qpod: " << podman::describe_failure(argv, r) << "\n";
  return 1;
}

// ---- the ready stamp --------------------------------------------------------------------------
// A podman query costs a few hundred ms on a busy machine; a command in the environment should
// cost what podman exec costs. So after a check that found everything up, qpod notes, for this
// exact configuration (key), the conmon process of each container that must run: while each
// conmon lives (it exits with its container), the containers run and nothing was recreated.
// Anything else (another configuration, a container stopped or replaced): the full check.

std::string stamp_path(const compose::Project& p) {
  return podman::lock_dir() + "/" + p.name + ".env-ready";
}

std::string ready_key(const compose::Project& p, const std::set<std::string>& needed,
                      const std::string& env_hash) {
  std::string text = podman::pod_hash(p) + "|" + env_hash;
  for (const auto& name : needed)
    text += "|" + name + "=" + compose::service_hash(p.services.at(name));
  return fnv1a_hex(text);
}

bool conmon_alive(long pid, const std::string& id) {
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
  std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  return !id.empty() && text.find(id) != std::string::npos;
}

bool stamp_holds(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line) || line != key) return false;
  int containers = 0;
  long pid = 0;
  std::string id;
  while (in >> pid >> id) {
    if (pid <= 0 || !conmon_alive(pid, id)) return false;
    ++containers;
  }
  return containers > 0;  // the pod alone has nothing to watch: check it each time
}

// `qpod build` touches this after it rebuilt the environment image. A check that began before
// the touch may have compared against the old image: it writes no stamp.
std::string built_mark_path(const compose::Project& p) {
  return podman::lock_dir() + "/" + p.name + ".env-built";
}

std::optional<std::filesystem::file_time_type> mtime(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return t;
}

void write_stamp(podman::Runtime& rt, const std::string& path, const std::string& key,
                 std::vector<std::string> names,
                 const std::optional<std::filesystem::file_time_type>& built_at,
                 const std::string& built_mark) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (names.empty()) return;
  auto r = rt.run(podman::container_conmon_pids(names));
  if (!r.ok()) return;  // no stamp: the next command checks fully
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (mtime(built_mark) != built_at) return;  // rebuilt meanwhile: check again next time
  const std::string tmp = path + "." + std::to_string(getpid());
  {
    std::ofstream out(tmp);
    out << key << "\n" << r.out;
    if (!out) return;
  }
  std::filesystem::rename(tmp, path, ec);
}

std::vector<std::string> containers_to_watch(const compose::Project& p,
                                             const std::set<std::string>& needed,
                                             const engine::Observed& obs, bool with_env) {
  std::vector<std::string> out;
  for (const auto& name : needed)
    if (const auto* c = obs.find(name)) out.push_back(c->name);
  if (with_env) out.push_back(env_container_name(p));
  return out;
}

}  // namespace

std::vector<std::string> services_for(const compose::Project& p, const Decision& d) {
  std::vector<std::string> out;
  for (const auto& [name, s] : p.services)
    if (!s.qpod || s.qpod->start == "auto") out.push_back(name);
  if (d.binary)
    for (const auto& name : d.binary->services)
      if (p.services.count(name) && std::find(out.begin(), out.end(), name) == out.end())
        out.push_back(name);
  return out;
}

int prepare_environment(const compose::Project& p, const graph::ServiceGraph& g,
                        podman::Runtime& rt, const std::vector<std::string>& services,
                        const std::optional<std::vector<std::string>>& env_create,
                        std::ostream& err, void (*on_wait)(const std::string&)) {
  const std::set<std::string> needed = g.select(services, true);
  const std::string env_name = env_container_name(p);
  const std::string env_hash = env_create ? hash_label(*env_create) : "";

  const std::string stamp = stamp_path(p);
  const std::string key = ready_key(p, needed, env_hash);
  if (stamp_holds(stamp, key)) return 0;  // the usual case: no podman call at all

  // A built environment image: the container must come from its current build.
  const std::string built_mark = built_mark_path(p);
  const auto built_at = mtime(built_mark);
  const auto built = environment_build(p);
  std::string image_id = built ? engine::image_id(rt, compose::environment_image(p)) : "";
  auto obs = engine::observe(rt, p.name);
  if (!obs) {
    err << format(obs.errors());
    return 1;
  }
  if (services_ready(p, needed, *obs) && (!built || !image_id.empty()) &&
      (!env_create || env_state(*obs, env_name, env_hash, image_id) == EnvState::kReady)) {
    write_stamp(rt, stamp, key, containers_to_watch(p, needed, *obs, env_create.has_value()),
                built_at, built_mark);
    return 0;  // one observe
  }

  auto lock = engine::ProjectLock::acquire(p.name, on_wait);
  if (!lock) {
    for (const auto& e : lock.errors()) err << "Error: " << format(e) << "\n";
    return 1;
  }
  if (built) {  // again, under the lock: another command may have built it meanwhile
    image_id = engine::image_id(rt, compose::environment_image(p));
    if (image_id.empty()) {
      auto id = build_environment_image(*built, rt, err);
      if (!id) return 1;
      image_id = std::move(*id);
    }
  }
  obs = engine::observe(rt, p.name);  // again, under the lock
  if (!obs) {
    err << format(obs.errors());
    return 1;
  }
  if (!services_ready(p, needed, *obs)) {
    engine::UpOptions up;
    up.services = services;
    up.pod_only = services.empty();
    engine::StreamProgress progress(err, err);
    if (engine::up(p, rt, progress, up, {}, err) != 0) return 1;
    obs = engine::observe(rt, p.name);  // a recreated pod took the environment container along
    if (!obs) {
      err << format(obs.errors());
      return 1;
    }
  }
  if (env_create) {
    const std::vector<std::string>& create = *env_create;
    switch (env_state(*obs, env_name, env_hash, image_id)) {
      case EnvState::kReady:
        break;
      case EnvState::kStopped: {
        auto start = podman::container_start({env_name});
        if (auto r = rt.run(start); !r.ok()) return fail(start, r, err);
        break;
      }
      case EnvState::kOutdated: {
        auto rm = podman::container_rm({env_name});
        if (auto r = rt.run(rm); !r.ok()) return fail(rm, r, err);
        [[fallthrough]];
      }
      case EnvState::kMissing: {
        if (auto r = rt.run(create); !r.ok()) return fail(create, r, err);
        break;
      }
    }
  }
  write_stamp(rt, stamp, key, containers_to_watch(p, needed, *obs, env_create.has_value()),
              built_at, built_mark);
  return 0;
}

void environment_rebuilt(const compose::Project& p) {
  std::error_code ec;
  if (!engine::ensure_private_dir(podman::lock_dir())) return;  // nothing to mark
  // A new mtime: checks that began before it write no stamp.
  const std::string mark = built_mark_path(p);
  std::ofstream(mark) << std::chrono::system_clock::now().time_since_epoch().count() << "\n";
  std::filesystem::last_write_time(mark, std::filesystem::file_time_type::clock::now(), ec);
  std::filesystem::remove(stamp_path(p), ec);
}

std::string exec_marker() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return "QPOD_EXEC_ID=" + std::to_string(getpid()) + "-" + std::to_string(now);
}

}  // namespace qpod::env
