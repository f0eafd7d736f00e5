#include "kube/play.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "engine/lock.h"
#include "podman/kube_argv.h"

namespace qpod::kube {
namespace {

Diagnostic error(std::string message) {
  Diagnostic d;
  d.message = std::move(message);
  return d;
}

// Removes the file when the command is done.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

int run_reported(podman::Runtime& rt, const podman::Argv& argv, std::ostream& err) {
  const auto r = rt.run(argv);
  if (!r.ok()) err << podman::brief_failure(argv, r) << "\n";
  return r.ok() ? 0 : 1;
}

}  // namespace

Result<std::string> write_private_yaml(const std::string& project, const std::string& yaml) {
  const std::string dir = podman::lock_dir();
  if (auto ok = engine::ensure_private_dir(dir); !ok) return ok.errors();
  std::string path = dir + "/" + project + "-kube-XXXXXX";
  std::vector<char> buf(path.begin(), path.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());  // 0600, a new file
  if (fd < 0) return error("cannot write " + path + ": " + std::strerror(errno));
  path.assign(buf.data());
  std::size_t done = 0;
  while (done < yaml.size()) {
    const ssize_t n = ::write(fd, yaml.data() + done, yaml.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return error("cannot write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return path;
}

int play(const std::string& project, const Manifest& m, podman::Runtime& rt, std::ostream& err) {
  auto file = write_private_yaml(project, m.yaml);
  if (!file) {
    for (const auto& e : file.errors()) err << e.message << "\n";
    return 1;
  }
  TempFile tmp{*file};
  return run_reported(rt, podman::kube_play(tmp.path), err);
}

int down(const std::string& project, const Manifest& m, podman::Runtime& rt,
         const KubeRunOptions& o, std::ostream& err) {
  auto file = write_private_yaml(project, m.yaml);
  if (!file) {
    for (const auto& e : file.errors()) err << e.message << "\n";
    return 1;
  }
  TempFile tmp{*file};
  int rc = run_reported(rt, podman::kube_down(tmp.path), err);
  // What podman made beside the Pod; each removed on its own, so one missing stops nothing.
  std::vector<std::string> volumes(m.configs.begin(), m.configs.end());
  volumes.insert(volumes.end(), m.secrets.begin(), m.secrets.end());
  if (o.volumes) volumes.insert(volumes.end(), m.claims.begin(), m.claims.end());
  for (const auto& v : volumes) {
    if (!rt.run(podman::volume_exists(v)).ok()) continue;
    rc |= run_reported(rt, podman::volume_rm({v}), err);
  }
  for (const auto& s : m.secrets) rt.run(podman::secret_rm({s}));  // absent: nothing to do
  return rc;
}

}  // namespace qpod::kube
