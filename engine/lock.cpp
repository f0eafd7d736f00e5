#include "engine/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace qpod::engine {

namespace {

Diagnostic problem(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }

}  // namespace

Status ensure_private_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return problem("cannot create " + dir + ": " + std::strerror(errno));
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0)
    return problem("cannot read " + dir + ": " + std::strerror(errno));
  if (S_ISLNK(st.st_mode))
    return problem(dir +
                   " is a symbolic link, not qpod's folder: remove it (qpod creates the folder)");
  if (!S_ISDIR(st.st_mode))
    return problem(dir + " is not a folder: remove it (qpod creates the folder)");
  if (st.st_uid != ::geteuid())
    return problem(dir + " belongs to uid " + std::to_string(st.st_uid) +
                   ", not to this user (uid " + std::to_string(::geteuid()) +
                   "): remove it (qpod creates the folder)");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return problem(dir + " can be written by other users: make it private (chmod 700 " + dir + ")");
  // Readable by others (an older qpod made it 0755): this user's, so made private.
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
    return problem("cannot make " + dir + " private: " + std::strerror(errno));
  return std::monostate{};
}

Result<ProjectLock> ProjectLock::acquire(const std::string& project,
                                         void (*on_wait)(const std::string&)) {
  std::string dir = podman::lock_dir();
  if (auto ok = ensure_private_dir(dir); !ok) return ok.errors();
  std::string path = dir + "/" + project + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 && errno == ELOOP)
    return problem(path + " is a symbolic link: remove it (qpod creates the lock file)");
  if (fd < 0) return problem("cannot open " + path + ": " + std::strerror(errno));
  ProjectLock lock(fd, path);  // closed on every return below that is not the lock
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return lock;
  if (on_wait) on_wait(project);
  while (::flock(fd, LOCK_EX) != 0)
    if (errno != EINTR) return problem("cannot lock " + path + ": " + std::strerror(errno));
  return lock;
}

ProjectLock::ProjectLock(ProjectLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace qpod::engine
