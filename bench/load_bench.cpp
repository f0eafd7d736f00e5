// Times loading a generated project: parse alone, compose::load_project (the whole pipeline,
// parse included), ServiceGraph::build and topological_order; prints medians and peak RSS.
// Usage: load_bench [--runs N] [-p NAME] [SERVICES...]   (default: 1000 10000)
// While bind does not fill depends_on, the bench copies the generator's edges into the loaded
// project (untimed) so that the graph stage still sees them; the output says so.
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
#include "compose/parse.h"
#include "graph/service_graph.h"

namespace fs = std::filesystem;
using namespace qpod;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double cpu_ms_since(std::clock_t start) {  // CPU time of the process
  return 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kilobytes on Linux
}

std::size_t count_depends_on(const compose::Project& p) {
  std::size_t n = 0;
  for (const auto& [name, s] : p.services) n += s.depends_on.size();
  return n;
}

struct Times {
  std::vector<double> parse, load, graph, topo, total, cpu;
};

// One size: generate, then `runs` timed rounds. False if loading or building fails.
bool run_size(std::size_t services, int runs, const std::string& project_name,
              const fs::path& dir) {
  const bench::Generated gen = bench::generate_project({.services = services});
  const fs::path file = dir / fmt::format("compose-{}.yaml", services);
  std::ofstream(file) << gen.text;
  const auto lines = std::count(gen.text.begin(), gen.text.end(), '\n');

  compose::LoadOptions opts;
  opts.files = {file.string()};
  opts.project_name = project_name;
  opts.project_directory = dir.string();
  opts.working_dir = dir.string();
  opts.process_env = compose::Variables{};

  Times t;
  std::size_t edges = 0;
  bool filled = false;
  for (int run = 0; run < runs; ++run) {
    auto start = Clock::now();
    auto parsed = compose::parse_file(file.string());
    t.parse.push_back(ms_since(start));
    if (!parsed) {
      fmt::print(stderr, "{}", format(parsed.errors()));
      return false;
    }

    std::clock_t cpu_start = std::clock();
    start = Clock::now();
    auto project = compose::load_project(opts);
    double elapsed = ms_since(start);
    double cpu = cpu_ms_since(cpu_start);
    t.load.push_back(elapsed);
    if (!project) {
      fmt::print(stderr, "{}", format(project.errors()));
      return false;
    }
    if (count_depends_on(*project) == 0) {  // bind is still a stub: not timed
      filled = true;
      for (const auto& [name, deps] : gen.depends_on)
        for (const auto& d : deps) project->services[name].depends_on[d] = {};
    }

    cpu_start = std::clock();
    auto mid = Clock::now();
    auto graph = graph::ServiceGraph::build(*project);
    t.graph.push_back(ms_since(mid));
    elapsed += t.graph.back();
    if (!graph) {
      fmt::print(stderr, "{}", format(graph.errors()));
      return false;
    }
    mid = Clock::now();
    const auto order = graph->topological_order();
    t.topo.push_back(ms_since(mid));
    t.total.push_back(elapsed + t.topo.back());
    t.cpu.push_back(cpu + cpu_ms_since(cpu_start));
    if (order.size() != services || project->services.size() != services) {
      fmt::print(stderr, "expected {} services, loaded {}\n", services, order.size());
      return false;
    }
    edges = 0;
    for (const auto& name : graph->services()) edges += graph->dependencies(name).size();
  }
  fmt::print(
      "{:>8} {:>7} {:>7.0f} {:>6}{} {:>9.1f} {:>9.1f} {:>8.2f} {:>7.2f} {:>9.1f} {:>9.1f} {:>9}\n",
      services, lines, static_cast<double>(gen.text.size()) / 1024, edges, filled ? "*" : " ",
      median(t.parse), median(t.load), median(t.graph), median(t.topo), median(t.total),
      median(t.cpu), peak_rss_kb() / 1024);
  if (filled) fmt::print("         * depends_on copied from the generator: bind left it empty\n");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  std::string project_name;
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "-p" && i + 1 < argc) {
      project_name = argv[++i];
    } else {
      sizes.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
    }
  }
  if (sizes.empty()) sizes = {1000, 10000};

  const fs::path dir = fs::temp_directory_path() / fmt::format("qpod-load-bench-{}", getpid());
  fs::create_directories(dir);
  fmt::print(
      "median of {} runs, milliseconds; load = compose::load_project{}, parse included; "
      "total = load + graph + topo (wall), cpu = the same in CPU time; RSS = peak of the process "
      "so far\n",
      runs, project_name.empty() ? " without -p" : " with -p");
  fmt::print("{:>8} {:>7} {:>7} {:>7} {:>9} {:>9} {:>8} {:>7} {:>9} {:>9} {:>9}\n", "services",
             "lines", "KiB", "edges", "parse", "load", "graph", "topo", "total", "cpu", "RSS MiB");
  bool ok = true;
  for (std::size_t n : sizes) ok = run_size(n, runs, project_name, dir) && ok;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok ? 0 : 1;
}
