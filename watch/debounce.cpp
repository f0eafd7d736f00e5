#include "watch/debounce.h"

#include <algorithm>

namespace qpod::watch {

Debouncer::Pending& Debouncer::touch(const std::string& id, Clock::time_point now) {
  auto [it, inserted] = pending_.try_emplace(id);
  if (inserted) it->second.first = now;
  it->second.last = now;
  return it->second;
}

void Debouncer::add(const std::string& id, const std::string& path, Clock::time_point now) {
  touch(id, now).paths.insert(path);
}

void Debouncer::add_overflow(const std::string& id, Clock::time_point now) {
  touch(id, now).overflow = true;
}

Clock::time_point Debouncer::due(const Pending& p) const {
  return std::min(p.last + options_.quiet, p.first + options_.max_wait);
}

std::optional<Clock::time_point> Debouncer::next_deadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& [id, p] : pending_)
    if (!next || due(p) < *next) next = due(p);
  return next;
}

std::vector<Fired> Debouncer::take_due(Clock::time_point now) {
  std::vector<Fired> out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (due(it->second) > now) {
      ++it;
      continue;
    }
    out.push_back(
        {it->first, {it->second.paths.begin(), it->second.paths.end()}, it->second.overflow});
    it = pending_.erase(it);
  }
  return out;
}

}  // namespace qpod::watch
