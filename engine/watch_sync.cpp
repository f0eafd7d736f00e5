#include "engine/watch_sync.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "podman/podman_argv.h"

namespace qpod::engine {
namespace fs = std::filesystem;
namespace {

// Long argv lists are split so that no exec hits the kernel's argument limit.
constexpr std::size_t kPathsPerExec = 256;

std::string parent_of(const std::string& container_path) {
  auto slash = container_path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : container_path.substr(0, slash);
}

// One podman call that failed: its argv and stderr.
Diagnostic failure(const podman::Argv& argv, const podman::RunResult& r) {
  return Diagnostic{"", 0, 0, "", podman::describe_failure(argv, r)};
}

// Success when `errors` is empty, else a failure with every one of them.
bool exists_on_host(const std::string& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

void exec_in_chunks(podman::Runtime& rt, const std::string& container,
                    const std::vector<std::string>& all,
                    podman::Argv (*argv_of)(const std::string&, const std::vector<std::string>&),
                    Diagnostics& failures) {
  for (std::size_t i = 0; i < all.size(); i += kPathsPerExec) {
    std::vector<std::string> chunk(
        all.begin() + static_cast<std::ptrdiff_t>(i),
        all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + kPathsPerExec)));
    const podman::Argv argv = argv_of(container, chunk);
    if (auto r = rt.run(argv); !r.ok()) failures.push_back(failure(argv, r));
  }
}

}  // namespace

SyncSteps plan_sync(const std::vector<watch::SyncFile>& files, bool whole_dirs,
                    const std::function<bool(const std::string&)>& is_dir) {
  SyncSteps s;
  for (const auto& f : files) {
    if (f.remove)
      s.remove.push_back(f.container);
    else if (!is_dir(f.host))
      s.copy.emplace_back(f.host, f.container);
    else if (whole_dirs)
      s.copy.emplace_back(f.host + "/.", f.container);
    else
      s.mkdir.push_back(f.container);
  }
  return s;
}

Status run_sync(const compose::Project& p, const compose::Service& service, podman::Runtime& rt,
                const SyncSteps& steps, int parallelism) {
  const std::string container = podman::container_name(p, service);
  Diagnostics failures;
  exec_in_chunks(rt, container, steps.remove, podman::container_exec_rm, failures);
  exec_in_chunks(rt, container, steps.mkdir, podman::container_exec_mkdir, failures);

  // Copies, `parallelism` at once; those that fail are retried after a mkdir of their parents.
  std::mutex mu;
  std::vector<std::size_t> failed;
  auto copy_all = [&](const std::vector<std::size_t>& which, bool last_try) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t i; (i = next++) < which.size();) {
        const auto& [host, path] = steps.copy[which[i]];
        const podman::Argv argv = podman::container_cp(host, container, path);
        podman::RunResult r = rt.run(argv);
        if (r.ok() || !exists_on_host(host))
          continue;  // gone since: its deletion is a change of its own
        std::lock_guard lock(mu);
        if (last_try)
          failures.push_back(failure(argv, r));
        else
          failed.push_back(which[i]);
      }
    };
    const auto n = static_cast<std::size_t>(std::max(1, parallelism));
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < std::min(n, which.size()); ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
  };
  std::vector<std::size_t> all(steps.copy.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  copy_all(all, false);
  if (failed.empty()) return status_of(std::move(failures));
  std::sort(failed.begin(), failed.end());
  std::vector<std::string> parents;
  for (auto i : failed) parents.push_back(parent_of(steps.copy[i].second));
  std::sort(parents.begin(), parents.end());
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  exec_in_chunks(rt, container, parents, podman::container_exec_mkdir, failures);
  const auto retry = std::move(failed);
  failed.clear();
  copy_all(retry, true);
  return status_of(std::move(failures));
}

}  // namespace qpod::engine
