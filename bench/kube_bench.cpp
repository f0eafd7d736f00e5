// Times `kube generate` (kube::generate, pod and cluster mode) of a generated project: the project
// is loaded and its graph built once (load_bench times those), then generate runs `runs` times.
// Usage: kube_bench [--runs N] [--mode pod|cluster] [SERVICES...]   (default: both modes, 1000)
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/gen_project.h"
#include "compose/loader.h"
#include "graph/service_graph.h"
#include "kube/generate.h"

namespace fs = std::filesystem;
using namespace qpod;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool run_size(std::size_t services, int runs, const fs::path& dir,
              const std::vector<std::string>& modes) {
  const bench::Generated gen = bench::generate_project({.services = services});
  const fs::path file = dir / fmt::format("compose-{}.yaml", services);
  std::ofstream(file) << gen.text;
  compose::LoadOptions opts;
  opts.files = {file.string()};
  opts.project_name = "bench";
  opts.project_directory = dir.string();
  opts.working_dir = dir.string();
  opts.process_env = compose::Variables{};
  auto project = compose::load_project(opts);
  if (!project) {
    fmt::print(stderr, "{}", format(project.errors()));
    return false;
  }
  auto graph = graph::ServiceGraph::build(*project);
  if (!graph) {
    fmt::print(stderr, "{}", format(graph.errors()));
    return false;
  }
  for (const auto& mode : modes) {
    std::vector<double> wall, cpu;
    std::size_t bytes = 0, warnings = 0;
    kube::KubeOptions ko;
    ko.mode = mode;
    for (int run = 0; run < runs; ++run) {
      const std::clock_t c0 = std::clock();
      const auto t0 = Clock::now();
      auto m = kube::generate(*project, *graph, {}, ko);
      wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      cpu.push_back(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
      if (!m) {
        fmt::print(stderr, "{}", format(m.errors()));
        return false;
      }
      bytes = m->yaml.size();
      warnings = m->warnings.size();
    }
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    fmt::print("{:>8} {:>8} {:>9.1f} {:>9.1f} {:>9} {:>8} {:>9}\n", mode, services, median(wall),
               median(cpu), bytes / 1024, warnings, u.ru_maxrss / 1024);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  std::vector<std::size_t> sizes;
  std::vector<std::string> modes;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--mode" && i + 1 < argc)
      modes.push_back(argv[++i]);
    else
      sizes.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
  }
  if (sizes.empty()) sizes = {1000};
  if (modes.empty()) modes = {"pod", "cluster"};
  const fs::path dir = fs::temp_directory_path() / fmt::format("qpod-kube-bench-{}", getpid());
  fs::create_directories(dir);
  fmt::print("kube::generate, median of {} runs, milliseconds; the load is not timed\n", runs);
  fmt::print("{:>8} {:>8} {:>9} {:>9} {:>9} {:>8} {:>9}\n", "mode", "services", "wall", "cpu",
             "YAML KiB", "warnings", "RSS MiB");
  bool ok = true;
  for (std::size_t n : sizes) ok = run_size(n, runs, dir, modes) && ok;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok ? 0 : 1;
}
