#pragma once
// The watched files as they are at one moment, to tell afterwards which ones a command changed
// (qpod exec-env): for one command's lifetime this is cheaper than an inotify watcher, and exact
// (no debounce to wait for). The same paths as the watcher's: below the paths the watches name,
// with the same ignore rules (.gitignore, what a watch names kept, .git never).
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "compose/model.h"

namespace qpod::watch {

struct FileState {
  std::timespec mtime{}, ctime{};
  long long size = 0;
  unsigned long long inode = 0;
  bool dir = false;
  bool operator==(const FileState& o) const;
};

class Snapshot {
 public:
  // Every file and folder some service's watch (develop.watch, x-qpod watch) can match, now.
  static Snapshot take(const compose::Project& project);
  // The paths added, removed or changed (mtime, ctime, size, inode) since `before`, sorted.
  std::vector<std::string> changed_since(const Snapshot& before) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, FileState> files_;
};

}  // namespace qpod::watch
