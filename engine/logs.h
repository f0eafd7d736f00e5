#pragma once
// The pure parts of `qpod logs` and of the attached `up`: which containers to show, how each
// line looks (docker compose's "web-1  | text", padded to the longest name, a colour per
// service), and when a followed container must be attached again (restarted or recreated).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/observe.h"

namespace qpod::engine {

struct LogOptions {
  std::vector<std::string> services;  // empty = all
  bool follow = false;
  bool timestamps = false;
  std::string tail;          // empty or "all" = everything
  std::string since, until;  // passed to podman as given
  bool prefix = true;        // false: --no-log-prefix
  bool color = false;        // ANSI colours (a terminal, or --ansi always)
};

// The name before a container's lines: "web-1" for "P-web-1"; a custom container_name as is.
std::string log_name(const std::string& project, const std::string& container);

// The containers to show: those of `services` (all when empty), one-off ones excluded, sorted
// by name so that colours and order are stable.
std::vector<ObservedContainer> log_targets(const std::vector<ObservedContainer>& containers,
                                           const std::vector<std::string>& services);

class LogFormatter {
 public:
  // `names`: every name that may appear (the prefix is padded to the longest).
  LogFormatter(const std::vector<std::string>& names, bool prefix, bool color);
  // "web-1  | text" (prefix coloured), or just "text" without prefix; no newline.
  std::string line(const std::string& name, const std::string& text) const;
  std::string prefix(const std::string& name) const;  // "web-1  | ", coloured
  // A new name (a container created later): the next colour; a longer name widens the prefix.
  void add(const std::string& name);

 private:
  bool prefix_, color_;
  std::size_t width_ = 0;
  std::map<std::string, std::string> colours_;
};

// podman's "--timestamps" output: "2024-05-01T10:00:00.123456789Z text" → {timestamp, text};
// a line without one → {"", line}.
std::pair<std::string, std::string> split_timestamp(const std::string& line);

// What a follower knows of a container it showed.
struct FollowState {
  std::string id;
  bool attached = false;  // a `podman logs` for it is running
  std::string last_ts;    // timestamp of the last line shown ("" = none yet)
};

enum class Reattach {
  No,         // attached already, or stopped
  FromStart,  // new or recreated container: all its lines
  SinceLast,  // the same container runs again (restarted): lines after the last one shown
};
// `seen` = nullptr: never attached to a container of that name.
Reattach reattach(const FollowState* seen, const ObservedContainer& now);

}  // namespace qpod::engine
