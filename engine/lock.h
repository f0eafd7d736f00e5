#pragma once
// Serializes commands that change a project: an exclusive flock(2) on one file per project,
// held for the lifetime of the ProjectLock. A second `qpod up` on the same project waits.
#include <string>

namespace qpod::engine {

class ProjectLock {
 public:
  // Blocks until the lock is held. `on_wait` is called once if another process holds it.
  // Throws std::runtime_error when the lock file cannot be opened.
  explicit ProjectLock(const std::string& project, void (*on_wait)(const std::string&) = nullptr);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// The folder of the lock files: $XDG_RUNTIME_DIR/qpod, or /tmp/qpod-UID.
std::string lock_dir();

}  // namespace qpod::engine
