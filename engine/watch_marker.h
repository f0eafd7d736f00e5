#pragma once
// A running `qpod watch` says so: while it lives, a file in the lock folder (podman::lock_dir())
// lists the services it watches, flock(2)ed by it. exec-env's CommandWatch leaves those services to
// the watch, which sees the same changes: one restart, not one from each. A watch that died
// leaves a file nobody holds, which counts for nothing (and the next look removes it).
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace qpod::engine {

class WatchMarker {
 public:
  // Writes and holds "<lock_dir>/<project>.watch.<pid>-<n>" listing `services`.
  static Result<WatchMarker> hold(const std::string& project,
                                  const std::vector<std::string>& services);
  ~WatchMarker();  // removes the file, then lets go of it
  WatchMarker(WatchMarker&& other) noexcept;
  WatchMarker& operator=(WatchMarker&&) = delete;
  WatchMarker(const WatchMarker&) = delete;
  WatchMarker& operator=(const WatchMarker&) = delete;

 private:
  WatchMarker(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// The services the running watches of `project` (in any process, this one's included) act on.
std::set<std::string> services_under_watch(const std::string& project);

}  // namespace qpod::engine
