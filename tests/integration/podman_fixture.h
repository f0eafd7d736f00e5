#pragma once
// Shared by the podman integration tests: podman must work (a test FAILS otherwise, with the
// reason), the test image is built when missing, every test gets a unique project and a guard
// that force-removes what it made.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "podman/podman_cli.h"
#include "podman/process.h"

namespace qpod::it {

inline constexpr const char* kImage = "localhost/qpod-busybox:latest";

inline podman::RunResult podman(const std::vector<std::string>& argv) {
  static podman::PodmanCli cli;
  return cli.run(argv);
}

inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// `podman inspect --format FORMAT name`, trimmed; "" when it fails.
inline std::string inspect(const std::string& name, const std::string& format,
                           const char* what = "container") {
  auto r = podman(
      {what == std::string("pod") ? "pod" : "container", "inspect", "--format", format, name});
  return r.ok() ? trim(r.out) : "";
}

// Podman missing or broken is a failure with the reason, never a silent skip.
inline void require_podman() {
  auto v = podman({"version", "--format", "{{.Client.Version}}"});
  if (!v.ok())
    FAIL("podman is required for [podman] tests and does not work here: "
         << v.err << "\n(install it: apt-get install -y podman; then run `qpod doctor`)");
  if (podman({"image", "exists", kImage}).ok()) return;
  // The same image scripts/build-test-images makes: busybox from busybox-static, FROM scratch.
  std::string busybox = podman::find_in_path("busybox");
  if (busybox.empty() && std::filesystem::exists("/bin/busybox")) busybox = "/bin/busybox";
  if (busybox.empty())
    FAIL("the test image needs busybox-static: apt-get install -y busybox-static");
  auto dir = std::filesystem::temp_directory_path() / ("qpod-image-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(busybox, dir / "busybox",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "Containerfile")
      << "FROM scratch\nCOPY busybox /bin/busybox\n"
         "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
  auto r = podman({"build", "-t", kImage, dir.string()});
  std::filesystem::remove_all(dir);
  if (!r.ok()) FAIL("cannot build " << kImage << ": " << r.err);
}

// "qpod-it-<test>-<pid>", and "-<n>" from the second call in a process on: each SECTION of a
// test case runs it again, and podman's clean-up of one run's containers must never meet the
// next run's pod of the same name.
inline std::string project_name(const std::string& test) {
  static int calls = 0;
  const int n = calls++;
  return "qpod-it-" + test + "-" + std::to_string(getpid()) +
         (n == 0 ? "" : "-" + std::to_string(n));
}

// A temporary project directory; removed with everything the project left in podman.
class ProjectGuard {
 public:
  explicit ProjectGuard(std::string name) : name_(std::move(name)) {
    dir_ = std::filesystem::temp_directory_path() / name_;
    std::filesystem::create_directories(dir_);
  }
  ~ProjectGuard() {
    std::string filter = "label=io.qpod.project=" + name_;
    podman({"pod", "rm", "--force", "--time", "0", name_});
    auto ids = podman({"ps", "--all", "--quiet", "--filter", filter});
    for (const auto& id : lines(ids.out)) podman({"rm", "--force", "--time", "0", id});
    auto vols = podman({"volume", "ls", "--quiet", "--filter", filter});
    for (const auto& v : lines(vols.out)) podman({"volume", "rm", "--force", v});
    auto nets = podman({"network", "ls", "--quiet", "--filter", filter});
    for (const auto& n : lines(nets.out)) podman({"network", "rm", "--force", n});
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::string& name() const { return name_; }
  const std::filesystem::path& dir() const { return dir_; }

  void write(const std::string& file, const std::string& text) const {
    std::ofstream(dir_ / file) << text;
  }
  // Runs the built qpod binary in the project directory, with -p NAME.
  podman::RunResult qpod(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-p", name_});
    return podman::run_process(QPOD_BINARY, args, dir_.string());
  }
  // What still carries the project label: containers, pods, volumes (one name per line).
  std::string leftovers() const {
    std::string filter = "label=io.qpod.project=" + name_;
    return podman({"ps", "--all", "--quiet", "--filter", filter}).out +
           podman({"pod", "ps", "--quiet", "--filter", filter}).out +
           podman({"volume", "ls", "--quiet", "--filter", filter}).out;
  }
  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + "\n") {
      if (c == '\n') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    return out;
  }

 private:
  std::string name_;
  std::filesystem::path dir_;
};

}  // namespace qpod::it
