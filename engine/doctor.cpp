#include "engine/doctor.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "podman/podman_argv.h"

namespace qpod::engine {
namespace {

using Status = Check::Status;
constexpr const char* kConfFix =
    "add to /etc/containers/containers.conf:\n"
    "  [containers]\n"
    "  default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
    "  [engine]\n"
    "  runtime = \"runc\"";

std::string first_line(const std::string& s) { return trim(s.substr(0, s.find('\n'))); }

nlohmann::json parse_or_null(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::vector<Check> doctor(podman::Runtime& rt, const podman::ContainersConf& conf) {
  std::vector<Check> checks;
  // 1. podman is there, and recent enough.
  podman::RunResult v = rt.run(podman::podman_version());
  Check present{"podman installed", Status::Ok, "", ""};
  if (!v.ok()) {
    present = {"podman installed", Status::Fail, first_line(v.err),
               "apt-get install -y podman (Debian 12 ships 4.3)"};
    checks.push_back(present);
    return checks;  // nothing else can be checked
  }
  auto vj = parse_or_null(v.out);
  std::string version = vj.is_object() && vj.contains("Client")
                            ? vj["Client"].value("Version", std::string("?"))
                            : std::string("?");
  present.detail = "podman " + version;
  int major = std::atoi(version.c_str());  // "4.3.1" -> 4
  if (major < 4) {
    present.status = Status::Fail;
    present.fix = "install podman 4.x (Debian 12: apt-get install -y podman)";
  }
  checks.push_back(present);

  // 2. The OCI runtime podman uses.
  podman::RunResult info = rt.run(podman::podman_info());
  auto ij = parse_or_null(info.out);
  std::string runtime;
  if (ij.is_object() && ij.contains("host") && ij["host"].contains("ociRuntime"))
    runtime = ij["host"]["ociRuntime"].value("name", std::string());
  if (!info.ok())
    checks.push_back({"podman info", Status::Fail, first_line(info.err), kConfFix});
  else if (runtime != "runc")
    checks.push_back({"OCI runtime", Status::Fail, "podman uses " + runtime + ", not runc",
                      "add to /etc/containers/containers.conf:\n  [engine]\n  runtime = \"runc\""});
  else
    checks.push_back({"OCI runtime", Status::Ok, "runc", ""});

  // 3. cgroups: podman's manager must be usable. The systemd manager needs a running systemd
  // (absent on many CI hosts and here); cgroups v1 or hybrid need runc (crun fails on hybrid).
  if (info.ok() && ij.is_object() && ij.contains("host")) {
    std::string cgroups = ij["host"].value("cgroupVersion", std::string("?"));
    std::string manager = ij["host"].value("cgroupManager", std::string("?"));
    bool hybrid = boost::filesystem::exists("/sys/fs/cgroup/unified");
    std::string detail =
        "cgroups " + cgroups + (hybrid ? " (hybrid)" : "") + ", manager " + manager;
    bool systemd_running = boost::filesystem::exists("/run/systemd/system");
    if (manager == "systemd" && !systemd_running)
      checks.push_back({"cgroups", Status::Fail, detail + ", but systemd is not running",
                        "add to /etc/containers/containers.conf:\n  [engine]\n"
                        "  cgroup_manager = \"cgroupfs\"\n  events_logger = \"file\""});
    else if (cgroups != "v2" && runtime != "runc")
      checks.push_back(
          {"cgroups", Status::Fail, detail + " needs runc, podman uses " + runtime,
           "add to /etc/containers/containers.conf:\n  [engine]\n  runtime = \"runc\""});
    else
      checks.push_back({"cgroups", Status::Ok, detail, ""});
  }

  // 4. containers.conf: runc and the ulimits containers need here.
  auto has = [&](const char* prefix) {
    return std::any_of(conf.default_ulimits.begin(), conf.default_ulimits.end(),
                       [&](const std::string& u) { return u.rfind(prefix, 0) == 0; });
  };
  if (conf.runtime == "runc" && has("nofile=") && has("nproc="))
    checks.push_back({"containers.conf", Status::Ok, "runtime = runc, default_ulimits set", ""});
  else
    checks.push_back({"containers.conf", Status::Fail,
                      "runtime = \"" + conf.runtime + "\", default_ulimits = " +
                          std::to_string(conf.default_ulimits.size()) + " entries",
                      kConfFix});

  // 5. A container actually runs (with the test image, when it was built).
  if (!rt.run(podman::image_exists(kTestImage)).ok()) {
    checks.push_back({"run a container", Status::Skip,
                      std::string(kTestImage) + " not built (scripts/build-test-images)", ""});
  } else if (podman::RunResult r = rt.run(podman::container_run_rm(kTestImage, {"true"}));
             !r.ok()) {
    checks.push_back({"run a container", Status::Fail, first_line(r.err), kConfFix});
  } else {
    checks.push_back(
        {"run a container", Status::Ok, std::string("podman run --rm ") + kTestImage, ""});
  }
  return checks;
}

}  // namespace qpod::engine
