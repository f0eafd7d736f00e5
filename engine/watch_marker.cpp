#include "engine/watch_marker.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <utility>

#include "base/text.h"
#include "engine/lock.h"

namespace qpod::engine {
namespace {

Diagnostic problem(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }

std::string prefix(const std::string& project) { return project + ".watch."; }

// What a marker file lists, one service a line (bounded: a marker is a few names).
std::vector<std::string> read_services(int fd) {
  std::string text;
  char buf[4096];
  ssize_t n = 0;
  while (text.size() < (1 << 20) &&
         (n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(text.size()))) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  return split_lines(text);
}

}  // namespace

Result<WatchMarker> WatchMarker::hold(const std::string& project,
                                      const std::vector<std::string>& services) {
  const std::string dir = podman::lock_dir();
  if (auto ok = ensure_private_dir(dir); !ok) return ok.errors();
  static std::atomic<int> counter{0};
  // The pid, the time and a count: never the name of a dead watch's leftover.
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  const std::string name = prefix(project) + std::to_string(::getpid()) + "-" +
                           std::to_string(now) + "-" + std::to_string(counter++);
  // Written and locked under a name nobody looks at, then renamed: a file with the watched
  // name is always whole and held while its watch lives.
  const std::string path = dir + "/" + name, partial = dir + "/." + name;
  int fd = ::open(partial.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return problem("cannot create " + partial + ": " + std::strerror(errno));
  WatchMarker marker(fd, partial);  // removed and closed on every return below that fails
  std::string text;
  for (const auto& s : services) text += s + "\n";
  if (::flock(fd, LOCK_EX) != 0 ||
      ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::rename(partial.c_str(), path.c_str()) != 0)
    return problem("cannot write " + path + ": " + std::strerror(errno));
  marker.path_ = path;
  return marker;
}

WatchMarker::WatchMarker(WatchMarker&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

WatchMarker::~WatchMarker() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // before the lock goes: a reader never finds it unheld and alive
  ::close(fd_);
}

std::set<std::string> services_under_watch(const std::string& project) {
  std::set<std::string> out;
  std::error_code ec;
  const std::string want = prefix(project);
  for (const auto& entry : std::filesystem::directory_iterator(podman::lock_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(want, 0) != 0) continue;
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
      ::unlink(entry.path().c_str());  // nobody holds it: its watch is gone
    } else if (errno == EWOULDBLOCK) {
      for (auto& s : read_services(fd)) out.insert(std::move(s));
    }
    ::close(fd);
  }
  return out;
}

}  // namespace qpod::engine
