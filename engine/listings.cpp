#include "engine/listings.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "base/text.h"
#include "podman/labels.h"
#include "podman/podman_json.h"

namespace qpod::engine {
namespace {

using namespace podman::podman_json;

std::string strip_digest_prefix(const std::string& id) {
  auto colon = id.find(':');
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

}  // namespace

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i)
      width[i] = std::max({width[i], r[i].size() + 3, std::size_t{20}});
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += i + 1 == r.size() ? r[i] : r[i] + std::string(width[i] - r[i].size(), ' ');
    out += line + "\n";
  }
  return out;
}

std::string human_size(std::int64_t bytes) {
  static const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  double size = static_cast<double>(bytes);
  std::size_t i = 0;
  while (size >= 1000.0 && i + 1 < std::size(kUnits)) {
    size /= 1000.0;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%s", size, kUnits[i]);
  return buf;
}

std::string short_id(const std::string& id) { return strip_digest_prefix(id).substr(0, 12); }

std::pair<std::string, std::string> split_image_ref(const std::string& ref) {
  std::string name = ref, tag;
  if (auto at = name.find('@'); at != std::string::npos) name = name.substr(0, at);
  auto colon = name.rfind(':');
  if (colon != std::string::npos && name.find('/', colon) == std::string::npos) {
    tag = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  for (const char* prefix : {"docker.io/library/", "docker.io/"})
    if (name.rfind(prefix, 0) == 0) return {name.substr(std::string(prefix).size()), tag};
  return {name, tag};
}

Result<std::map<std::string, ImageInfo>> parse_image_inspect(const std::string& text) {
  auto j = parse(text, "podman image inspect");
  if (!j) return j.errors();
  std::map<std::string, ImageInfo> out;
  if (!j->is_array()) return error("podman image inspect: expected a JSON array");
  for (const auto& img : *j) {
    ImageInfo info{strip_digest_prefix(str(img, "Id")), img.value("Size", std::int64_t{0})};
    out[info.id] = info;
  }
  return out;
}

std::string images_table(const std::vector<ImageRow>& rows) {
  std::vector<std::vector<std::string>> t{{"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"}};
  for (const auto& r : rows)
    t.push_back({r.container, r.repository.empty() ? "<none>" : r.repository,
                 r.tag.empty() ? "<none>" : r.tag, short_id(r.id), human_size(r.size)});
  return format_table(t);
}

std::string images_json(const std::vector<ImageRow>& rows) {
  json out = json::array();
  for (const auto& r : rows)
    out.push_back({{"ID", r.id},
                   {"ContainerName", r.container},
                   {"Repository", r.repository},
                   {"Tag", r.tag},
                   {"Size", r.size}});
  return out.dump() + "\n";
}

std::vector<std::string> image_ids(const std::vector<ImageRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) {
    std::string id = strip_digest_prefix(r.id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

std::string combined_status(const std::vector<std::string>& states) {
  std::map<std::string, int> count;  // sorted by state, as docker sorts them
  for (const auto& s : states) ++count[s];
  std::string out;
  for (const auto& [state, n] : count) {
    if (!out.empty()) out += ", ";
    out += state + "(" + std::to_string(n) + ")";
  }
  return out;
}

Result<std::vector<ProjectRow>> projects_from_ps(const std::string& text) {
  auto j = parse(text, "podman ps");
  if (!j) return j.errors();
  if (!j->is_array()) return error("podman ps: expected a JSON array");
  struct Group {
    std::vector<std::string> states, files;
    bool files_missing = false;
  };
  std::map<std::string, Group> groups;
  for (const auto& c : *j) {
    if (c.value("IsInfra", false)) continue;
    auto labels_it = c.find("Labels");
    if (labels_it == c.end() || !labels_it->is_object()) continue;
    std::string project = str(*labels_it, podman::labels::kProject);
    if (project.empty()) continue;
    Group& g = groups[project];
    g.states.push_back(str(c, "State"));
    if (!labels_it->contains(podman::labels::kConfigFiles)) {
      g.files_missing = true;
      continue;
    }
    std::string files = str(*labels_it, podman::labels::kConfigFiles);
    for (std::size_t start = 0; start <= files.size();) {
      auto comma = std::min(files.find(',', start), files.size());
      std::string f = files.substr(start, comma - start);
      if (std::find(g.files.begin(), g.files.end(), f) == g.files.end()) g.files.push_back(f);
      start = comma + 1;
    }
  }
  std::vector<ProjectRow> rows;
  for (const auto& [name, g] : groups)
    rows.push_back({name, combined_status(g.states), g.files_missing ? "N/A" : join(g.files, ",")});
  return rows;
}

std::string projects_table(const std::vector<ProjectRow>& rows) {
  std::vector<std::vector<std::string>> t{{"NAME", "STATUS", "CONFIG FILES"}};
  for (const auto& r : rows) t.push_back({r.name, r.status, r.config_files});
  return format_table(t);
}

std::string projects_json(const std::vector<ProjectRow>& rows) {
  json out = json::array();
  for (const auto& r : rows)
    out.push_back({{"Name", r.name}, {"Status", r.status}, {"ConfigFiles", r.config_files}});
  return out.dump() + "\n";
}

Result<std::string> published_port(const std::string& text, std::uint32_t target,
                                   const std::string& protocol) {
  auto j = parse(text, "podman pod inspect");
  if (!j) return j.errors();
  const json& pod = j->is_array() ? (j->empty() ? json::object() : j->front()) : *j;
  if (!pod.is_object()) return error("podman pod inspect: expected a JSON object");
  auto infra = pod.find("InfraConfig");
  if (infra == pod.end() || !infra->is_object()) return std::string();
  auto bindings = infra->find("PortBindings");
  if (bindings == infra->end() || !bindings->is_object()) return std::string();
  auto it = bindings->find(std::to_string(target) + "/" + protocol);
  if (it == bindings->end() || !it->is_array() || it->empty()) return std::string();
  std::string ip = str(it->front(), "HostIp");
  return (ip.empty() ? "0.0.0.0" : ip) + ":" + str(it->front(), "HostPort");
}

}  // namespace qpod::engine
