#include "engine/project_volumes.h"

#include <algorithm>
#include <ostream>
#include <set>

#include "engine/listings.h"
#include "podman/command_argv.h"
#include "podman/podman_json.h"

namespace qpod::engine {

using podman::podman_json::json;
using podman::podman_json::str;

Result<std::vector<VolumeRow>> parse_volume_ls(const std::string& text) {
  auto j = podman::podman_json::parse_array(text, "podman volume ls");
  if (!j) return j.errors();
  std::vector<VolumeRow> rows;
  for (const auto& v : *j) {
    if (!v.is_object()) continue;
    VolumeRow r{str(v, "Name"), str(v, "Driver"), str(v, "Mountpoint"), str(v, "Scope"), {}};
    if (auto l = v.find("Labels"); l != v.end() && l->is_object())
      for (const auto& [k, val] : l->items())
        if (val.is_string()) r.labels[k] = val.get<std::string>();
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return rows;
}

std::string volumes_table(const std::vector<VolumeRow>& rows) {
  std::vector<std::vector<std::string>> t{{"DRIVER", "VOLUME NAME"}};
  for (const auto& r : rows) t.push_back({r.driver, r.name});
  return format_table(t);
}

std::string volumes_json(const std::vector<VolumeRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    std::string labels;
    for (const auto& [k, v] : r.labels) labels += (labels.empty() ? "" : ",") + k + "=" + v;
    // docker's fields; those podman does not know are "N/A", as docker prints them for a
    // local volume.
    json j = {{"Availability", "N/A"}, {"Driver", r.driver}, {"Group", "N/A"},
              {"Labels", labels},      {"Links", "N/A"},     {"Mountpoint", r.mountpoint},
              {"Name", r.name},        {"Scope", r.scope},   {"Size", "N/A"},
              {"Status", "N/A"}};
    out += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  return out;
}

std::vector<std::string> volumes_of_services(const compose::Project& p,
                                             const std::vector<std::string>& services) {
  std::set<std::string> names;
  for (const auto& name : services) {
    auto s = p.services.find(name);
    if (s == p.services.end()) continue;
    for (const auto& m : s->second.volumes) {
      if (m.type != "volume" || m.source.empty()) continue;
      auto v = p.volumes.find(m.source);
      names.insert(v == p.volumes.end() ? m.source : v->second.name);
    }
  }
  return {names.begin(), names.end()};
}

int volumes(const compose::Project& p, podman::Runtime& rt, const VolumesOptions& o,
            std::ostream& out, std::ostream& err) {
  podman::Argv argv = podman::project_volume_ls(p.name);
  podman::RunResult r = rt.run(argv);
  if (!r.ok()) {
    err << podman::brief_failure(argv, r) << "\n";
    return 1;
  }
  auto rows = parse_volume_ls(r.out);
  if (!rows) {
    err << format(rows.errors());
    return 1;
  }
  if (!o.services.empty()) {
    const auto wanted = volumes_of_services(p, o.services);
    std::erase_if(*rows, [&](const VolumeRow& v) {
      return std::find(wanted.begin(), wanted.end(), v.name) == wanted.end();
    });
  }
  if (o.quiet) {
    for (const auto& v : *rows) out << v.name << "\n";
  } else if (o.format == "json") {
    out << volumes_json(*rows);
  } else {
    out << volumes_table(*rows);
  }
  return 0;
}

}  // namespace qpod::engine
