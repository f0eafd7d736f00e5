#include "engine/events.h"

#include <algorithm>
#include <cctype>
#include <ostream>

#include "podman/command_argv.h"
#include "podman/labels.h"
#include "podman/podman_json.h"

namespace qpod::engine {
namespace {

using podman::podman_json::json;
using podman::podman_json::str;

// qpod's and docker compose's own labels are the event's service and project, not attributes.
bool own_label(const std::string& key) {
  return key.starts_with("io.qpod.") || key.starts_with("com.docker.compose.");
}

}  // namespace

std::optional<Event> parse_event(const std::string& line) {
  json j;
  try {
    j = json::parse(line);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!j.is_object() || str(j, "Type") != "container") return std::nullopt;
  Event e;
  e.time = str(j, "Time");
  e.id = str(j, "ID");
  e.action = str(j, "Status");
  if (auto image = str(j, "Image"); !image.empty()) e.attributes["image"] = image;
  if (auto name = str(j, "Name"); !name.empty()) e.attributes["name"] = name;
  if (auto a = j.find("Attributes"); a != j.end() && a->is_object()) {
    for (const auto& [k, v] : a->items()) {
      if (!v.is_string()) continue;
      if (k == podman::labels::kService) e.service = v.get<std::string>();
      if (k == podman::labels::kOneoff && v.get<std::string>() == "True") return std::nullopt;
      if (!own_label(k)) e.attributes[k] = v.get<std::string>();
    }
  }
  if (e.service.empty()) return std::nullopt;
  return e;
}

std::string event_text(const Event& e) {
  // "2026-12-06T23:19:30.28786191Z" -> "2026-12-06 23:19:30.287861" (Go's .000000 layout).
  std::string t = e.time;
  if (t.size() > 10 && t[10] == 'T') t[10] = ' ';
  if (auto dot = t.find('.', 11); dot != std::string::npos) {
    std::string frac;
    for (std::size_t i = dot + 1; i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]));
         ++i)
      frac += t[i];
    frac.resize(6, '0');
    t = t.substr(0, dot) + "." + frac;
  } else if (t.size() > 19) {
    t = t.substr(0, 19) + ".000000";
  }
  std::string attrs;
  for (const auto& [k, v] : e.attributes) attrs += (attrs.empty() ? "" : ", ") + k + "=" + v;
  return t + " container " + e.action + " " + e.id + " (" + attrs + ")";
}

std::string event_json(const Event& e) {
  json j = {{"time", e.time}, {"type", "container"}, {"service", e.service},
            {"id", e.id},     {"action", e.action},  {"attributes", e.attributes}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

int events(const std::string& project, podman::Runtime& rt, const EventsOptions& o,
           std::ostream& out, std::ostream& err) {
  podman::Argv argv = podman::project_events(project, o.since, o.until);
  std::string last_error;
  podman::RunResult r = rt.stream(
      argv,
      [&](const std::string& line, bool is_err) {
        if (is_err) {
          last_error = line;
          return;
        }
        auto e = parse_event(line);
        if (!e) return;
        if (!o.services.empty() &&
            std::find(o.services.begin(), o.services.end(), e->service) == o.services.end())
          return;
        out << (o.json ? event_json(*e) : event_text(*e)) << "\n" << std::flush;
      },
      o.stop);
  if (o.stop && o.stop->load()) return 0;
  if (!r.ok()) {
    r.err = last_error;
    err << podman::brief_failure(argv, r) << "\n";
  }
  return r.exit_code;
}

}  // namespace qpod::engine
