#pragma once
// Debouncing, apart from inotify so that it can be tested with made-up times: a subscription
// fires once its changes have been quiet for `quiet`, or `max_wait` after its first unfired
// change when they never are.
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qpod::watch {

using Clock = std::chrono::steady_clock;

struct DebounceOptions {
  std::chrono::milliseconds quiet{300};
  std::chrono::milliseconds max_wait{2000};
};

// A subscription that fired: the absolute paths that changed, sorted. `overflow` means the
// kernel dropped events: anything may have changed (the paths may be incomplete or empty).
struct Fired {
  std::string id;
  std::vector<std::string> paths;
  bool overflow = false;
  bool operator==(const Fired&) const = default;
};

class Debouncer {
 public:
  explicit Debouncer(DebounceOptions options = {}) : options_(options) {}

  void add(const std::string& id, const std::string& path, Clock::time_point now);
  void add_overflow(const std::string& id, Clock::time_point now);
  // The earliest time a pending subscription is due, if any is pending.
  std::optional<Clock::time_point> next_deadline() const;
  // Removes and returns the subscriptions due at `now`, in id order.
  std::vector<Fired> take_due(Clock::time_point now);
  bool pending() const { return !pending_.empty(); }

 private:
  struct Pending {
    std::set<std::string> paths;
    Clock::time_point first, last;
    bool overflow = false;
  };
  Pending& touch(const std::string& id, Clock::time_point now);
  Clock::time_point due(const Pending& p) const;

  DebounceOptions options_;
  std::map<std::string, Pending> pending_;
};

}  // namespace qpod::watch
