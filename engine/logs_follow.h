#pragma once
// Streams the logs of several containers at once: one `podman logs` per container, each on its
// own thread, their lines written as they come (whole lines, never mixed) with their prefixes.
// Used by `qpod logs` and the attached `up`; the decisions (what to attach, when) are theirs.
#include <atomic>
#include <condition_variable>
#include <iosfwd>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "engine/logs.h"
#include "podman/podman_argv.h"
#include "podman/runtime.h"

namespace qpod::engine {

class LogMux {
 public:
  // `names`: the prefixes known at the start (log_name of each target), for padding.
  LogMux(podman::Runtime& rt, std::string project, LogOptions o,
         const std::vector<std::string>& names, std::ostream& out);
  ~LogMux();  // stops and joins the followers
  LogMux(const LogMux&) = delete;
  LogMux& operator=(const LogMux&) = delete;

  // Shows `c`'s logs. `initial`: the user's --tail/--since/--until apply (the first attach);
  // otherwise `how` says from where (a restarted container: after the last line shown).
  void attach(const ObservedContainer& c, Reattach how, bool initial);
  std::optional<FollowState> state(const std::string& container) const;
  // Blocks until every follower ended, or `cancel` is set, or `timeout` passed.
  void wait_all(const std::atomic<bool>* cancel = nullptr);
  bool wait_for(std::chrono::milliseconds timeout);  // false: still some running
  // Until `container`'s follower ended (its last lines are out); false on timeout.
  bool wait_ended(const std::string& container, std::chrono::milliseconds timeout);
  void stop();  // kills the running `podman logs`; they end soon after
  int failures() const { return failures_.load(); }
  // A line of qpod's own among the logs ("web-1 exited with code 0").
  void note(const std::string& text);
  std::string name_of(const std::string& container) const { return log_name(project_, container); }

 private:
  void follow(std::string container, podman::Argv argv, std::string skip_until);
  void emit(const std::string& container, const std::string& raw);

  podman::Runtime& rt_;
  std::string project_;
  LogOptions o_;
  std::ostream& out_;
  LogFormatter fmt_;
  std::atomic<bool> stop_{false};
  std::atomic<int> failures_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, FollowState> states_;
  std::vector<std::thread> threads_;
};

// The project's containers (one `podman ps`), for the followers' polls.
Result<std::vector<ObservedContainer>> list_containers(podman::Runtime& rt,
                                                       const std::string& project);

// Sleeps `d` in short steps; false when `cancel` was set meanwhile.
bool nap(std::chrono::milliseconds d, const std::atomic<bool>* cancel);

// qpod logs: the selected containers' logs; with o.follow, until `cancel` (Ctrl-C) or the
// project is gone, attaching again to a container that restarts or is recreated (a poll every
// half second). Returns 0, or 1 when podman failed (reported on `err`).
int show_logs(podman::Runtime& rt, const std::string& project, const LogOptions& o,
              std::ostream& out, std::ostream& err, const std::atomic<bool>* cancel);

// Now as podman's --since takes it and as its --timestamps prints: RFC 3339, UTC, nanoseconds.
std::string now_rfc3339();

}  // namespace qpod::engine
