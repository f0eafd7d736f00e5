#include "engine/ps.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <tuple>

#include "base/text.h"
#include "podman/labels.h"
#include "podman/podman_json.h"
#include "podman/port_label.h"

namespace qpod::engine {
namespace {

using namespace podman::podman_json;

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (auto it = j.find(key); it != j.end() && it->is_array())
    for (const auto& s : *it)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

// Go's zero time (-62135596800) and podman's "never" read as 0.
std::int64_t when(const json& j, const char* key) { return std::max<std::int64_t>(0, num(j, key)); }

std::vector<PsPublisher> publishers(const json& j) {
  std::vector<PsPublisher> out;
  auto ports = j.find("Ports");
  if (ports == j.end() || !ports->is_array()) return out;
  for (const auto& p : *ports) {
    std::string ip = str(p, "host_ip");
    auto range = std::clamp<std::int64_t>(num(p, "range"), 1, 65536);
    for (std::int64_t i = 0; i < range; ++i)
      out.push_back({ip.empty() ? "0.0.0.0" : ip, static_cast<int>(num(p, "container_port") + i),
                     static_cast<int>(num(p, "host_port") + i), str(p, "protocol")});
  }
  return out;
}

// The health podman appends to its status: "Up 7 seconds ago (healthy)".
std::string health_of_status(const std::string& status) {
  for (const char* h : {"healthy", "unhealthy", "starting"})
    if (status.size() > 3 + std::string(h).size() &&
        status.compare(status.size() - std::string(h).size() - 2, std::string::npos,
                       "(" + std::string(h) + ")") == 0)
      return h;
  return "";
}

std::size_t display_width(const std::string& s) {  // UTF-8 code points, as Go's tabwriter counts
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  return n;
}

// Ellipsis(s, max) of docker's formatter: at most `max` code points, the last one "…".
std::string ellipsis(const std::string& s, std::size_t max) {
  if (display_width(s) <= max) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n == max) break;
    out += s[i];
  }
  return out + "\u2026";
}

std::string join_host_port(const std::string& ip, int port) {
  return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string created_at(std::int64_t unix_s) {  // Go's time.Unix(s, 0).String(), local time
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
  return buf;
}

}  // namespace

Result<std::vector<PsRow>> parse_ps_rows(const std::string& text) {
  auto arr = parse_array(text, "podman ps");
  if (!arr) return arr.errors();
  std::vector<PsRow> out;
  std::map<std::string, std::vector<std::string>> pod_networks;  // pod ID -> its infra's
  for (const auto& j : *arr) {
    if (j.value("IsInfra", false)) {
      pod_networks[str(j, "Pod")] = strings(j, "Networks");
      continue;
    }
    PsRow r;
    r.id = str(j, "Id");
    r.names = strings(j, "Names");
    if (!r.names.empty()) r.name = r.names.front();
    r.image = str(j, "Image");
    r.command = join(strings(j, "Command"), " ");
    r.project = label(j, podman::labels::kProject);
    r.service = label(j, podman::labels::kService);
    r.hash = label(j, podman::labels::kConfigHash);
    r.oneoff = label(j, podman::labels::kOneoff) == "True";
    r.state = str(j, "State");
    r.health = health_of_status(str(j, "Status"));
    r.mounts = strings(j, "Mounts");
    r.networks = strings(j, "Networks");
    if (auto ls = j.find("Labels"); ls != j.end() && ls->is_object())
      for (const auto& [k, v] : ls->items())
        if (v.is_string()) r.labels[k] = v.get<std::string>();
    r.created = when(j, "Created");
    r.started_at = when(j, "StartedAt");
    r.exited_at = when(j, "ExitedAt");
    r.exit_code = static_cast<int>(num(j, "ExitCode"));
    r.publishers = publishers(j);
    r.pod_id = str(j, "Pod");
    out.push_back(std::move(r));
  }
  for (auto& r : out) {
    // A member shares its pod's network namespace: the pod's networks are its own.
    if (r.networks.empty() && pod_networks.count(r.pod_id)) r.networks = pod_networks.at(r.pod_id);
  }
  return out;
}

void keep_own_ports(std::vector<PsRow>& rows,
                    const std::map<std::string, PortTargets>& by_service) {
  for (auto& r : rows) {
    bool up = r.state == "running" || r.state == "paused";
    // The container's own label says what it was created with; a container of an older qpod
    // has none: the project's file says, when there is one.
    PortTargets labelled;
    const PortTargets* own = nullptr;
    if (auto label = r.labels.find(podman::labels::kPorts); label != r.labels.end()) {
      labelled = podman::parse_port_label(label->second);
      own = &labelled;
    } else if (auto it = by_service.find(r.service); it != by_service.end()) {
      own = &it->second;
    }
    if (!up || r.oneoff || !own) {
      r.publishers.clear();
      continue;
    }
    std::erase_if(r.publishers, [&](const PsPublisher& p) {
      return !own->count({p.target, p.protocol});
    });
  }
}

std::string human_duration(std::int64_t s) {
  if (s < 1) return "Less than a second";
  if (s == 1) return "1 second";
  if (s < 60) return std::to_string(s) + " seconds";
  std::int64_t minutes = s / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return std::to_string(minutes) + " minutes";
  auto hours = static_cast<std::int64_t>(static_cast<double>(s) / 3600.0 + 0.5);  // math.Round
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(s / 3600 / 24 / 365) + " years";
}

std::string docker_status(const PsRow& r, std::int64_t now) {
  auto since = [now](std::int64_t t) { return human_duration(std::max<std::int64_t>(0, now - t)); };
  const std::string& s = r.state;
  if (s == "paused") return "Up " + since(r.started_at) + " (Paused)";
  if (s == "restarting")
    return "Restarting (" + std::to_string(r.exit_code) + ") " + since(r.exited_at) + " ago";
  if (s == "running" || s == "stopping") {
    std::string out = "Up " + since(r.started_at);
    if (r.health == "starting") return out + " (health: starting)";
    if (!r.health.empty()) return out + " (" + r.health + ")";
    return out;
  }
  if (s == "removing") return "Removal In Progress";
  if (s == "dead") return "Dead";
  if (r.started_at == 0) return "Created";
  if (r.exited_at == 0) return "";
  return "Exited (" + std::to_string(r.exit_code) + ") " + since(r.exited_at) + " ago";
}

std::string displayable_ports(std::vector<PsPublisher> ports) {
  std::sort(ports.begin(), ports.end(), [](const PsPublisher& a, const PsPublisher& b) {
    return std::tie(a.target, a.url, a.published, a.protocol) <
           std::tie(b.target, b.url, b.published, b.protocol);
  });
  // Ports published on the same number group into ranges per address and protocol; the others
  // are listed one by one after them.
  struct Group {
    std::string ip, protocol;
    int first, last;
  };
  auto form = [](const Group& g) {
    std::string range = std::to_string(g.first);
    if (g.first != g.last) range += "-" + std::to_string(g.last);
    return (g.ip.empty() ? range : g.ip + ":" + range + "->" + range) + "/" + g.protocol;
  };
  std::vector<std::string> result, mappings;
  std::vector<Group> groups;  // in the order their keys first appear
  for (const auto& p : ports) {
    if (!p.url.empty() && p.published != p.target) {
      mappings.push_back(join_host_port(p.url, p.published) + "->" + std::to_string(p.target) +
                         "/" + p.protocol);
      continue;
    }
    auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) {
      return x.ip == p.url && x.protocol == p.protocol;
    });
    if (g == groups.end()) {
      groups.push_back({p.url, p.protocol, p.target, p.target});
    } else if (p.target == g->last + 1) {
      g->last = p.target;
    } else {
      result.push_back(form(*g));
      g->first = g->last = p.target;
    }
  }
  for (const auto& g : groups) result.push_back(form(g));
  result.insert(result.end(), mappings.begin(), mappings.end());
  return join(result, ", ");
}

std::string quoted_command(const std::string& command, bool trunc) {
  std::string c = trunc ? ellipsis(command, 20) : command;
  std::string out = "\"";
  for (char byte : c) append_c_escaped(out, byte);
  return out + "\"";
}

std::string ps_table(const std::vector<PsRow>& rows, std::int64_t now) {
  std::vector<std::vector<std::string>> cells{
      {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}};
  for (const auto& r : rows)
    cells.push_back({r.name, r.image, quoted_command(r.command, true), r.service,
                     human_duration(std::max<std::int64_t>(0, now - r.created)) + " ago",
                     docker_status(r, now), displayable_ports(r.publishers)});
  // docker's tabwriter: minimum cell width 10, padding 3, the last column unpadded.
  std::vector<std::size_t> width(cells[0].size(), 0);
  for (const auto& c : cells)
    for (std::size_t i = 0; i < c.size(); ++i)
      width[i] = std::max({width[i], display_width(c[i]) + 3, std::size_t{10}});
  std::string out;
  for (const auto& c : cells) {
    std::string line;
    for (std::size_t i = 0; i < c.size(); ++i)
      line += i + 1 == c.size() ? c[i] : c[i] + std::string(width[i] - display_width(c[i]), ' ');
    out += trim(line).empty() ? "\n" : line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return out;
}

std::string ps_json(const std::vector<PsRow>& rows, std::int64_t now, bool trunc) {
  std::string out;
  for (const auto& r : rows) {
    // Go marshals a struct in field order, a map (the row) in key order: ordered_json, keys
    // written in that order.
    nlohmann::ordered_json pubs = nlohmann::ordered_json::array();
    for (const auto& p : r.publishers)
      pubs.push_back({{"URL", p.url},
                      {"TargetPort", p.target},
                      {"PublishedPort", p.published},
                      {"Protocol", p.protocol}});
    std::vector<std::string> labels, mounts;
    for (const auto& [k, v] : r.labels) labels.push_back(k + "=" + v);
    for (const auto& m : r.mounts) mounts.push_back(trunc ? ellipsis(m, 15) : m);
    bool ended = r.state == "exited" || r.state == "dead";
    nlohmann::ordered_json o = {
        {"Command", quoted_command(r.command, trunc)},
        {"CreatedAt", created_at(r.created)},
        {"ExitCode", ended ? r.exit_code : 0},
        {"Health", r.state == "running" ? r.health : ""},
        {"ID", trunc ? r.id.substr(0, 12) : r.id},
        {"Image", r.image},
        {"Labels", join(labels, ",")},
        {"Mounts", join(mounts, ",")},
        {"Name", r.name},
        {"Names", join(r.names, ",")},
        {"Networks", join(r.networks, ",")},
        {"Ports", displayable_ports(r.publishers)},
        {"Project", r.project},
        {"Publishers", pubs},
        {"RunningFor", human_duration(std::max<std::int64_t>(0, now - r.created)) + " ago"},
        {"Service", r.service},
        {"State", r.state},
        {"Status", docker_status(r, now)}};
    out += o.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  return out;
}

}  // namespace qpod::engine
