// Times the file watcher (watch/watcher.h):
//  - write → callback: a one-byte append to a watched file until its subscription fires
//    (median of N), with the default debounce (300 ms quiet) and with none, the latter being
//    inotify + poll + matching alone;
//  - burst → callback: 1,000 appends across 100 files, from the last write to the one callback;
//  - initial scan: Watcher::create over a tree of DIRS directories and FILES files (a
//    .gitignore at the root ignoring one directory in ten: /d*/d*5/), i.e. the recursive walk, the
//    ignore checks and one inotify watch per kept directory.
// Usage: watch_bench [--runs N] [--dirs D] [--files F]   (default: 20 runs, 1000 dirs, 10000 files)
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "watch/watcher.h"

namespace fs = std::filesystem;
using namespace qpod::watch;
using namespace std::chrono_literals;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void append(const std::string& path) { std::ofstream(path, std::ios::app) << 'x'; }

Watcher open_watcher(const fs::path& root, DebounceOptions debounce) {
  WatchOptions o;
  o.debounce = debounce;
  auto w = Watcher::create({root}, o);
  if (!w.ok()) {
    fmt::print(stderr, "{}\n", qpod::format(w.errors()));
    std::exit(1);
  }
  return std::move(w).value();
}

// Appends to `file` and polls until a subscription fires; returns the milliseconds between.
double write_to_callback(Watcher& w, const std::string& file) {
  const auto start = Clock::now();
  append(file);
  while (w.poll(10s).empty()) {
  }
  return ms_since(start);
}

void latency(const fs::path& root, int runs, DebounceOptions debounce, const char* label) {
  const std::string file = (root / "src" / "main.c").string();
  Watcher w = open_watcher(root, debounce);
  w.subscribe({"web", {path_matcher((root / "src").string())}});
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) ms.push_back(write_to_callback(w, file));
  fmt::print("write → callback, {:<28} median {:8.2f} ms  (min {:.2f}, max {:.2f}, {} runs)\n",
             label, median(ms), *std::min_element(ms.begin(), ms.end()),
             *std::max_element(ms.begin(), ms.end()), runs);
}

void burst(const fs::path& root, int runs) {
  std::vector<std::string> files;
  for (int i = 0; i < 100; ++i) {
    files.push_back((root / "burst" / ("f" + std::to_string(i))).string());
    append(files.back());
  }
  Watcher w = open_watcher(root, {});
  w.subscribe({"web", {path_matcher((root / "burst").string())}});
  std::vector<double> after_last, total;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    for (int round = 0; round < 10; ++round)
      for (const auto& f : files) append(f);
    const auto last = Clock::now();
    std::size_t fired = 0;
    while (fired == 0) fired = w.poll(10s).size();
    after_last.push_back(ms_since(last));
    total.push_back(ms_since(start));
  }
  fmt::print(
      "1,000-write burst → 1 callback (default debounce): median {:.2f} ms after the last "
      "write, {:.2f} ms after the first ({} runs)\n",
      median(after_last), median(total), runs);
}

void scan(const fs::path& root, int dirs, int files, int runs) {
  const fs::path tree = root / "tree";
  fs::create_directories(tree);
  std::ofstream(tree / ".gitignore") << "/d*/d*5/\n*.tmp\n";
  for (int d = 0; d < dirs; ++d) {
    const fs::path dir = tree / ("d" + std::to_string(d / 100)) / ("d" + std::to_string(d));
    fs::create_directories(dir);
    for (int f = 0; f < files / dirs; ++f) std::ofstream(dir / ("f" + std::to_string(f) + ".c"));
  }
  std::vector<double> ms, cpu;
  std::size_t watched = 0;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    const std::clock_t c0 = std::clock();
    Watcher w = open_watcher(tree, {});
    cpu.push_back(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    ms.push_back(ms_since(start));
    watched = w.watched_directories();
  }
  fmt::print(
      "initial scan of {} dirs / {} files: median {:.2f} ms wall, {:.2f} ms cpu, "
      "{} directories watched ({} runs)\n",
      dirs, files, median(ms), median(cpu), watched, runs);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20, dirs = 1000, files = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--runs") runs = value;
    if (flag == "--dirs") dirs = value;
    if (flag == "--files") files = value;
  }
  const fs::path root =
      fs::temp_directory_path() / ("qpod-watch-bench-" + std::to_string(getpid()));
  fs::create_directories(root / "src");
  fs::create_directories(root / "burst");
  std::ofstream(root / "src" / "main.c") << "int main() {}\n";

  latency(root, runs, {}, "default (300 ms quiet):");
  latency(root, runs, {0ms, 0ms}, "no debounce:");
  burst(root, std::max(1, runs / 4));
  scan(root, dirs, files, std::max(3, runs / 4));
  fs::remove_all(root);
}
