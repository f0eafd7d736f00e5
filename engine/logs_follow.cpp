#include "engine/logs_follow.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <ostream>

#include "podman/podman_argv.h"

namespace qpod::engine {

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[32], frac[16];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(frac, sizeof frac, ".%09lldZ", static_cast<long long>(ns % 1000000000));
  return std::string(date) + frac;
}

LogMux::LogMux(podman::Runtime& rt, std::string project, LogOptions o,
               const std::vector<std::string>& names, std::ostream& out)
    : rt_(rt),
      project_(std::move(project)),
      o_(std::move(o)),
      out_(out),
      fmt_(names, o_.prefix, o_.color) {}

LogMux::~LogMux() {
  stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void LogMux::attach(const ObservedContainer& c, Reattach how, bool initial) {
  podman::LogsArgs args;
  args.follow = o_.follow;
  args.timestamps = true;  // always: they tell where a restarted container's new lines begin
  std::string skip_until;
  std::lock_guard lock(mu_);
  FollowState& st = states_[c.name];
  if (initial) {
    args.tail = o_.tail;
    args.since = o_.since;
    args.until = o_.until;
  } else if (how == Reattach::SinceLast) {
    // podman's --since keeps a line stamped exactly then: it was shown, skip it.
    args.since = skip_until = st.last_ts;
  } else if (how == Reattach::No) {
    return;
  }
  // Where a later restart's lines begin when this run shows none: after now (initial attach),
  // or from the start of a container recreated since.
  if (initial)
    st.last_ts = now_rfc3339();
  else if (how == Reattach::FromStart)
    st.last_ts.clear();
  st.id = c.id;
  st.attached = true;
  fmt_.add(log_name(project_, c.name));
  threads_.emplace_back(&LogMux::follow, this, c.name, podman::container_logs(c.id, args),
                        skip_until);
}

void LogMux::follow(std::string container, podman::Argv argv, std::string skip_until) {
  bool skipping = !skip_until.empty();
  podman::RunResult r = rt_.stream(
      argv,
      [&](const std::string& line, bool) {
        auto [ts, text] = split_timestamp(line);
        if (skipping && !ts.empty() && ts <= skip_until) return;
        skipping = false;
        emit(container, line);
      },
      &stop_);
  std::lock_guard lock(mu_);
  states_[container].attached = false;
  if (!r.ok() && !stop_.load()) {
    spdlog::debug("podman {} -> exit {}", podman::loggable_argv(argv), r.exit_code);
    failures_++;
  }
  cv_.notify_all();
}

void LogMux::emit(const std::string& container, const std::string& raw) {
  auto [ts, text] = split_timestamp(raw);
  std::lock_guard lock(mu_);
  if (!ts.empty()) states_[container].last_ts = ts;
  const std::string& shown = o_.timestamps || ts.empty() ? raw : text;
  out_ << fmt_.line(log_name(project_, container), shown) << '\n' << std::flush;
}

void LogMux::note(const std::string& text) {
  std::lock_guard lock(mu_);
  out_ << text << '\n' << std::flush;
}

std::optional<FollowState> LogMux::state(const std::string& container) const {
  std::lock_guard lock(mu_);
  auto it = states_.find(container);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

bool LogMux::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto none = [&] {
    for (const auto& [_, st] : states_)
      if (st.attached) return false;
    return true;
  };
  return cv_.wait_for(lock, timeout, none);
}

bool LogMux::wait_ended(const std::string& container, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = states_.find(container);
    return it == states_.end() || !it->second.attached;
  });
}

void LogMux::wait_all(const std::atomic<bool>* cancel) {
  while (!wait_for(std::chrono::milliseconds(100)))
    if (cancel && cancel->load()) return;
}

void LogMux::stop() { stop_.store(true); }

Result<std::vector<ObservedContainer>> list_containers(podman::Runtime& rt,
                                                       const std::string& project) {
  podman::Argv argv = podman::ps_project(project);
  podman::RunResult r = rt.run(argv);
  if (!r.ok()) return Diagnostics{{"", 0, 0, "", podman::describe_failure(argv, r)}};
  auto all = parse_ps(r.out);
  if (!all) return all;
  // Only what qpod made: a container someone else gave the project label has no logs of ours.
  std::erase_if(*all, [](const ObservedContainer& c) { return !has_qpod_labels(c); });
  return all;
}

bool nap(std::chrono::milliseconds d, const std::atomic<bool>* cancel) {
  for (auto left = d; left.count() > 0; left -= std::chrono::milliseconds(100)) {
    if (cancel && cancel->load()) return false;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
  }
  return !(cancel && cancel->load());
}

int show_logs(podman::Runtime& rt, const std::string& project, const LogOptions& o,
              std::ostream& out, std::ostream& err, const std::atomic<bool>* cancel) {
  auto first = list_containers(rt, project);
  if (!first) {
    for (const auto& e : first.errors()) err << "Error: " << e.message << "\n";
    return 1;
  }
  auto targets = log_targets(*first, o.services);
  std::vector<std::string> names;
  for (const auto& t : targets) names.push_back(log_name(project, t.name));
  LogMux mux(rt, project, o, names, out);
  for (const auto& t : targets) mux.attach(t, Reattach::FromStart, true);
  if (!o.follow) {
    mux.wait_all(cancel);
    return mux.failures() > 0 ? 1 : 0;
  }
  // Following: re-observe, and attach again to what restarted or was recreated.
  int empty_polls = 0;
  while (nap(std::chrono::milliseconds(500), cancel)) {
    auto now = list_containers(rt, project);
    if (!now) continue;
    if (now->empty()) {
      if (++empty_polls >= 2) break;  // the project is gone (down)
      continue;
    }
    empty_polls = 0;
    for (const auto& c : log_targets(*now, o.services)) {
      auto st = mux.state(c.name);
      Reattach how = reattach(st ? &*st : nullptr, c);
      if (how != Reattach::No) mux.attach(c, how, false);
    }
  }
  return 0;
}

}  // namespace qpod::engine
