#pragma once
// qpod events: `podman events` of the project's containers, printed as docker compose prints
// them (one line each, or --json lines with its keys). One-off (`run`) containers are left out.
#include <atomic>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "podman/runtime.h"

namespace qpod::engine {

struct Event {
  std::string time;     // podman's RFC 3339 time, "2026-12-06T23:19:30.28786191Z"
  std::string service;  // its service label
  std::string id;       // the container's id
  std::string action;   // podman's status: create, start, died...
  std::map<std::string, std::string> attributes;  // image, name and labels, not qpod's own
};

// One line of `podman events --format=json`; nullopt for a line that is not a container event
// of a service (no JSON object, another type, a one-off container).
std::optional<Event> parse_event(const std::string& line);

// docker compose's line: "2026-12-06 23:19:30.287861 container start ID (image=..., name=...)".
std::string event_text(const Event& e);
// --json: {"action":...,"attributes":{...},"id":...,"service":...,"time":...,"type":"container"}
std::string event_json(const Event& e);

struct EventsOptions {
  std::vector<std::string> services;  // empty = all
  bool json = false;
  std::string since, until;
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C
};
// Streams until podman ends (--until) or `stop`; returns podman's exit code (0 when stopped).
int events(const std::string& project, podman::Runtime& rt, const EventsOptions& o,
           std::ostream& out, std::ostream& err);

}  // namespace qpod::engine
