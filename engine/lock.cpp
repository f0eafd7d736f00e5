#include "engine/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace qpod::engine {

std::string ensure_private_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return "cannot create " + dir + ": " + std::strerror(errno);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return "cannot read " + dir + ": " + std::strerror(errno);
  if (S_ISLNK(st.st_mode))
    return dir + " is a symbolic link, not qpod's folder: remove it (qpod creates the folder)";
  if (!S_ISDIR(st.st_mode)) return dir + " is not a folder: remove it (qpod creates the folder)";
  if (st.st_uid != ::geteuid())
    return dir + " belongs to uid " + std::to_string(st.st_uid) + ", not to this user (uid " +
           std::to_string(::geteuid()) + "): remove it (qpod creates the folder)";
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return dir + " can be written by other users: make it private (chmod 700 " + dir + ")";
  // Readable by others (an older qpod made it 0755): this user's, so made private.
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
    return "cannot make " + dir + " private: " + std::strerror(errno);
  return {};
}

ProjectLock::ProjectLock(const std::string& project, void (*on_wait)(const std::string&)) {
  std::string dir = lock_dir();
  if (auto problem = ensure_private_dir(dir); !problem.empty()) throw std::runtime_error(problem);
  path_ = dir + "/" + project + ".lock";
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0 && errno == ELOOP)
    throw std::runtime_error(path_ + " is a symbolic link: remove it (qpod creates the lock file)");
  if (fd_ < 0) throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (on_wait) on_wait(project);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd_);
      throw std::runtime_error("cannot lock " + path_ + ": " + std::strerror(errno));
    }
  }
}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace qpod::engine
