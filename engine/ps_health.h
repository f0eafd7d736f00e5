#pragma once
// The health `qpod ps` shows. Podman's health timers need systemd, so a check runs only when
// something runs it (qpod's waits do; see executor.cpp): what podman holds may be long stale.
// As docker's daemon checks every interval, ps runs once (concurrently) each check of a running
// container whose last one is older than its interval, then reads podman's status again.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/ps.h"
#include "podman/runtime.h"

namespace qpod::engine {

struct HealthState {
  std::string status;            // podman's: "starting", "healthy", "unhealthy" ("" = no check)
  std::int64_t interval_s = 30;  // the check's interval (podman's default 30s)
  std::int64_t last_end = 0;     // unix seconds the last check ended, 0 = never ran
  std::int64_t started_at = 0;   // the container's start: docker's first check is one interval on
};

// `podman container inspect` output, by container ID; containers without a check are left out.
Result<std::map<std::string, HealthState>> parse_health(const std::string& inspect_json);
// Whether a check is due at `now`: one interval after the last one, or after the start.
bool health_stale(const HealthState& h, std::int64_t now);
// RFC 3339 as podman writes it ("2026-12-06T22:53:50.99171211Z", or with "+01:00"); 0 if not.
std::int64_t parse_rfc3339(const std::string& text);

// Sets each running row's health to podman's current one, running the stale checks first.
void refresh_health(podman::Runtime& rt, std::vector<PsRow>& rows, std::int64_t now);

}  // namespace qpod::engine
