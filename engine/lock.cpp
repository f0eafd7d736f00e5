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

std::string lock_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg && *xdg) return std::string(xdg) + "/qpod";
  return "/tmp/qpod-" + std::to_string(::getuid());
}

ProjectLock::ProjectLock(const std::string& project, void (*on_wait)(const std::string&)) {
  std::string dir = lock_dir();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create " + dir + ": " + std::strerror(errno));
  path_ = dir + "/" + project + ".lock";
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
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
