#pragma once
// Serializes commands that change a project: an exclusive flock(2) on one file per project,
// held for the lifetime of the ProjectLock. A second `qpod up` on the same project waits.
#include <string>

#include "base/result.h"
#include "podman/lock_dir.h"  // podman::lock_dir()

namespace qpod::engine {

class ProjectLock {
 public:
  // Blocks until the lock is held. `on_wait` is called once if another process holds it.
  // An error when the lock file cannot be opened, or when its folder or the file itself cannot
  // be trusted (see ensure_private_dir; the lock file must not be a symlink).
  static Result<ProjectLock> acquire(const std::string& project,
                                     void (*on_wait)(const std::string&) = nullptr);
  ~ProjectLock();
  ProjectLock(ProjectLock&& other) noexcept;
  ProjectLock& operator=(ProjectLock&&) = delete;
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;
  const std::string& path() const { return path_; }

 private:
  ProjectLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// Creates `dir` (mode 0700) when missing; an error says why it cannot be trusted (a symbolic
// link, not a folder, another user's, writable by others); success when it is this user's private
// folder (one that others could only read is made 0700).
Status ensure_private_dir(const std::string& dir);

}  // namespace qpod::engine
