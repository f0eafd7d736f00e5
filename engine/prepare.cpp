#include "engine/prepare.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include "compose/paths.h"
#include "engine/lock.h"
#include "podman/podman_argv.h"
#include "podman/process.h"

namespace qpod::engine {
namespace {

namespace fs = std::filesystem;
using compose::FileObject;
using compose::FileReference;
using compose::Project;
using compose::Service;

// A problem of the host set-up, said in its message alone (printed as it is).
Diagnostic error(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }

// Success when `errors` is empty, else a failure with every one of them.
// The owner a secret's or config's copy gets: uid/gid as the reference gives them (numbers, as
// docker compose reads them), 0 for what it leaves out; nullopt = neither given (the file stays
// the user's: root in the container, rootful or rootless).
struct Owner {
  unsigned uid = 0, gid = 0;
};
Result<std::optional<Owner>> owner_of(const FileReference& ref) {
  if (ref.uid.empty() && ref.gid.empty()) return std::optional<Owner>();
  auto number = [](const std::string& text, const char* what) -> Result<unsigned> {
    if (text.empty()) return 0u;
    if (text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return error(std::string(what) + " \"" + text + "\" is not a number");
    return static_cast<unsigned>(std::stoul(text));
  };
  auto uid = number(ref.uid, "uid");
  if (!uid) return uid.errors();
  auto gid = number(ref.gid, "gid");
  if (!gid) return gid.errors();
  return std::optional<Owner>(Owner{*uid, *gid});
}

// Hands `path` to `owner` as the container sees it: chown as root; rootless, the container's
// ids are the user namespace's, so podman unshare does it.
Status give(const std::string& path, const Owner& owner) {
  const std::string cannot = "cannot change the owner of " + path + ": ";
  if (::geteuid() == 0) {
    if (::chown(path.c_str(), owner.uid, owner.gid) != 0)
      return error(cannot + std::strerror(errno));
    return std::monostate{};
  }
  std::string podman = podman::find_in_path("podman");
  if (podman.empty()) return error(cannot + "podman not found");
  podman::RunResult r = podman::run_process(
      podman,
      {"unshare", "chown", std::to_string(owner.uid) + ":" + std::to_string(owner.gid), path});
  if (!r.ok()) return error(cannot + r.err);
  return std::monostate{};
}

// Writes `value` to `path` in the project's private folder (each folder on the way 0700, the
// base checked by ensure_private_dir), with `mode` and `owner`. A new file renamed over the
// old: a container that still runs keeps the copy it mounted.
Status write_private(const fs::path& path, const std::string& value, std::uint32_t mode,
                     const std::optional<Owner>& owner) {
  const std::string base = podman::lock_dir();
  if (auto ok = ensure_private_dir(base); !ok) return ok;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return error("cannot create " + path.parent_path().string() + ": " + ec.message());
  for (fs::path d = path.parent_path(); d.string().size() > base.size(); d = d.parent_path())
    ::chmod(d.c_str(), 0700);
  const std::string tmp = path.string() + ".new";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return error("cannot write " + tmp + ": " + std::strerror(errno));
  int failed = 0;  // errno of the first failure
  for (std::size_t done = 0; !failed && done < value.size();) {
    ssize_t n = ::write(fd, value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed = n < 0 ? errno : EIO;
    if (!failed) done += static_cast<std::size_t>(n);
  }
  if (!failed && ::fchmod(fd, static_cast<mode_t>(mode)) != 0) failed = errno;
  ::close(fd);
  Status written = std::monostate{};
  if (failed) written = error("cannot write " + tmp + ": " + std::strerror(failed));
  if (written && owner) written = give(tmp, *owner);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = error("cannot write " + path.string() + ": " + std::strerror(errno));
  if (!written) ::unlink(tmp.c_str());
  return written;
}

// Each secret and config of `s` (but external ones, podman's own secrets) is copied to its
// private file (host_file_path), which the container mounts read-only: the reference's mode
// (0444 by default), uid and gid, whatever the source's were. The value is never in a message.
void file_objects(const Project& p, const Service& s, bool secret, Diagnostics& errors) {
  const auto& refs = secret ? s.secrets : s.configs;
  const auto& objects = secret ? p.secrets : p.configs;
  const char* kind = secret ? "secret" : "config";
  for (const FileReference& ref : refs) {
    auto it = objects.find(ref.source);
    if (it == objects.end()) continue;
    const FileObject& o = it->second;
    std::string what = "service " + s.name + ": " + kind + " " + ref.source;
    if (o.external) continue;
    std::string value;
    if (!o.file.empty()) {
      // A regular file within the loader's file limit: /dev/zero or a FIFO would never end.
      if (auto problem = compose::file_problem(o.file)) {
        errors.push_back(error(what + ": file " + o.file + " " + *problem));
        continue;
      }
      auto text = compose::read_input_file(o.file, kind + std::string(" file"));
      if (!text) {
        errors.push_back(error(what + ": cannot read " + o.file));
        continue;
      }
      value = std::move(*text);
    } else if (!o.environment.empty()) {
      const char* v = std::getenv(o.environment.c_str());
      if (!v) {
        errors.push_back(error(what + ": environment variable " + o.environment + " is not set"));
        continue;
      }
      value = v;
    } else if (!secret && !o.content.empty()) {
      value = o.content;
    } else {
      continue;
    }
    auto owner = owner_of(ref);
    Status written = owner ? write_private(podman::host_file_path(p, s, secret, ref), value,
                                           ref.mode.value_or(0444), *owner)
                           : Status(owner.errors());
    if (!written) errors.push_back(error(what + ": " + written.errors().front().message));
  }
}

}  // namespace

Status prepare_service(const Project& p, const Service& s) {
  Diagnostics errors;
  for (const auto& m : s.volumes) {
    if (m.type != "bind" || m.source.empty() || fs::exists(m.source)) continue;
    if (!m.bind_create_host_path) {
      errors.push_back(error("service " + s.name + ": bind mount source " + m.source +
                             " does not exist (create_host_path: false)"));
      continue;
    }
    std::error_code ec;
    fs::create_directories(m.source, ec);
    if (ec)
      errors.push_back(error("service " + s.name + ": cannot create bind mount source " + m.source +
                             ": " + ec.message()));
  }
  file_objects(p, s, true, errors);
  file_objects(p, s, false, errors);
  return status_of(std::move(errors));
}

Status prepare_host(const Project& p, const Plan& plan) {
  Diagnostics errors;
  std::set<std::string> created;
  for (const auto& a : plan.actions)
    if ((a.kind == ActionKind::Run || a.kind == ActionKind::CreateContainer) &&
        p.services.count(a.service))
      created.insert(a.service);
  for (const auto& name : created) {
    auto prepared = prepare_service(p, p.services.at(name));
    if (!prepared) errors.insert(errors.end(), prepared.errors().begin(), prepared.errors().end());
  }
  return status_of(std::move(errors));
}

}  // namespace qpod::engine
