#include "engine/ps_health.h"

#include <cctype>
#include <ctime>
#include <future>
#include <nlohmann/json.hpp>

#include "podman/podman_argv.h"
#include "podman/podman_json.h"

namespace qpod::engine {
namespace {

using namespace podman::podman_json;

bool digits(const std::string& s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::int64_t parse_rfc3339(const std::string& s) {
  std::tm tm{};
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d) || !digits(s, 11, 2, h) ||
      !digits(s, 14, 2, mi) || !digits(s, 17, 2, se) || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return 0;
  if (y < 1970) return 0;  // Go's zero time: never
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  std::int64_t t = timegm(&tm);
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]));) ++i;
  int oh = 0, om = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-') && digits(s, i + 1, 2, oh) &&
      digits(s, i + 4, 2, om))
    t -= (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  return t;
}

Result<std::map<std::string, HealthState>> parse_health(const std::string& text) {
  auto arr = parse_array(text, "podman container inspect");
  if (!arr) return arr.errors();
  std::map<std::string, HealthState> out;
  for (const auto& c : *arr) {
    auto config = c.find("Config");
    auto state = c.find("State");
    if (config == c.end() || state == c.end() || !config->is_object() || !state->is_object())
      continue;
    auto check = config->find("Healthcheck");
    if (check == config->end() || !check->is_object()) continue;
    auto test = check->find("Test");
    if (test == check->end() || !test->is_array() || test->empty() || (*test)[0] == "NONE")
      continue;
    HealthState h;
    if (auto ns = num(*check, "Interval"); ns > 0)
      h.interval_s = std::max<std::int64_t>(1, ns / 1000000000);
    h.status = "starting";
    h.started_at = parse_rfc3339(str(*state, "StartedAt"));
    if (auto health = state->find("Health"); health != state->end() && health->is_object()) {
      if (auto s = str(*health, "Status"); !s.empty()) h.status = s;
      if (auto log = health->find("Log"); log != health->end() && log->is_array() && !log->empty())
        h.last_end = parse_rfc3339(str(log->back(), "End"));
    }
    out[str(c, "Id")] = h;
  }
  return out;
}

bool health_stale(const HealthState& h, std::int64_t now) {
  std::int64_t since = h.last_end != 0 ? h.last_end : h.started_at;
  return since == 0 || now - since >= h.interval_s;
}

void refresh_health(podman::Runtime& rt, std::vector<PsRow>& rows, std::int64_t now) {
  std::vector<std::string> ids;
  for (const auto& r : rows)
    if (r.state == "running" && !r.health.empty()) ids.push_back(r.id);
  if (ids.empty()) return;
  auto read = [&rt](const std::vector<std::string>& which) {
    podman::RunResult r = rt.run(podman::container_inspect(which));
    auto parsed =
        r.ok() ? parse_health(r.out)
               : Result<std::map<std::string, HealthState>>(std::map<std::string, HealthState>{});
    return parsed ? std::move(parsed).value() : std::map<std::string, HealthState>{};
  };
  auto states = read(ids);
  std::vector<std::string> stale;
  for (const auto& [id, h] : states)
    if (health_stale(h, now)) stale.push_back(id);
  if (!stale.empty()) {
    // Its exit code says only this check's result: podman's status (retries, start period)
    // is read again after.
    std::vector<std::future<void>> runs;
    for (const auto& id : stale)
      runs.push_back(
          std::async(std::launch::async, [&rt, &id] { rt.run(podman::healthcheck_run(id)); }));
    for (auto& f : runs) f.get();
    for (auto& [id, h] : read(stale)) states[id] = h;
  }
  for (auto& r : rows)
    if (auto it = states.find(r.id); it != states.end() && r.state == "running")
      r.health = it->second.status;
}

}  // namespace qpod::engine
