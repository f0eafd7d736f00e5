#pragma once
// A recursive inotify watcher: every directory under the roots that the ignore rules keep is
// watched (directories created later too). A change is matched against the subscriptions and
// debounced per subscription (debounce.h).
//
// Use from one thread: create, subscribe, then poll() in a loop or run() until stopped;
// subscribe() and wake() may also be called from other threads.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "base/result.h"
#include "watch/debounce.h"
#include "watch/ignore.h"
#include "watch/subscription.h"

namespace qpod::watch {

struct WatchOptions {
  DebounceOptions debounce;
  IgnorePatterns ignore;           // extra patterns, relative to each root
  bool gitignore = true;           // read .gitignore files (`.git` is ignored either way)
  std::vector<std::string> named;  // paths the watches name (absolute): IgnoreRules::keep
};

class Watcher {
 public:
  // Roots are existing directories; a root inside another is merged into it.
  static Result<Watcher> create(const std::vector<std::filesystem::path>& roots,
                                WatchOptions options = {});
  ~Watcher();
  Watcher(Watcher&&) noexcept;
  Watcher& operator=(Watcher&&) noexcept;

  void subscribe(Subscription subscription);  // replaces a subscription with the same id
  // Reads the kernel's events and waits, at most `timeout`, for a subscription to fire (or for
  // wake()); returns the fired subscriptions, in id order, possibly none.
  std::vector<Fired> poll(std::chrono::milliseconds timeout);
  // poll()s and calls `on_fire` for each fired subscription until `stop` is requested.
  void run(const std::function<void(const Fired&)>& on_fire, std::stop_token stop);
  void wake();  // makes a waiting poll() return now

  std::size_t watched_directories() const;
  Diagnostics take_warnings();  // directories that could not be watched, queue overflows

 private:
  struct Impl;
  explicit Watcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qpod::watch
