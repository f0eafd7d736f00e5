// The service keys the Pod generator does not map, each named in a warning (KUBE-KEYS.md).
#include <string_view>

#include "kube/pod_detail.h"

namespace qpod::kube {
namespace {

// Keys with a Kubernetes form in pod mode (some only in part: their parts warn in pod.cpp).
constexpr std::string_view kMapped[] = {
    "image",           "command",     "entrypoint", "environment",
    "env_file",        "ports",       "expose",     "volumes",
    "depends_on",      "healthcheck", "restart",    "labels",
    "label_file",      "annotations", "user",       "working_dir",
    "secrets",         "configs",     "cpus",       "mem_limit",
    "mem_reservation", "networks",    "links",      "hostname",
    "extra_hosts",     "privileged",  "cap_add",    "cap_drop",
    "read_only",       "tty",         "stdin_open", "stop_grace_period",
    "pull_policy",     "tmpfs",       "profiles"};

// Keys with a reason of their own.
struct Reason {
  std::string_view key, text;
};
constexpr Reason kReasons[] = {
    {"build", "the image must exist where the Pod runs (build it with qpod build, and push it)"},
    {"container_name", "containers are named after their service in the Pod"},
    {"develop", "qpod watch only"},
    {"scale", "one container per service in a Pod"},
    {"network_mode", "the containers of a Pod share its network"},
    {"init", "no Kubernetes form (the image's own init runs)"},
    {"logging", "the cluster's logging applies"},
    {"stop_signal", "Kubernetes sends SIGTERM"},
    {"shm_size", "no Kubernetes form (an emptyDir of medium Memory at /dev/shm would be one)"},
};

}  // namespace

void warn_unmapped(const compose::Service& s, bool cluster,
                   const std::function<void(const std::string&)>& warn) {
  const compose::Node& n = s.node;
  if (!n.is_mapping()) return;
  for (const auto& key : n.keys) {
    const std::string_view k = key.name;
    if (k.substr(0, 2) == "x-") continue;  // extensions are not Compose keys
    bool mapped = false;
    for (auto m : kMapped) mapped = mapped || m == k;
    if (mapped) continue;
    if (k == "deploy") {
      const compose::Node* d = n.find("deploy");
      if (!d || !d->is_mapping()) continue;
      for (const auto& dk : d->keys) {
        if (dk.name == "resources") {
          const compose::Node* r = d->find("resources");
          for (const auto& part : r && r->is_mapping() ? r->keys : std::vector<compose::Key>{}) {
            const compose::Node* sub = r->find(part.name);
            for (const auto& rk :
                 sub && sub->is_mapping() ? sub->keys : std::vector<compose::Key>{})
              if (rk.name != "cpus" && rk.name != "memory")
                warn("deploy.resources." + part.name + "." + rk.name + " has no Kubernetes form");
          }
        } else if (dk.name == "replicas") {
          const compose::Node* r = d->find("replicas");
          if (!cluster && r && r->as_int().value_or(1) > 1)
            warn("deploy.replicas > 1 is left out: one container per service in a Pod");
        } else {
          warn("deploy." + dk.name + " has no Kubernetes form here");
        }
      }
      continue;
    }
    std::string text = std::string(k) + " has no Kubernetes form";
    for (const auto& r : kReasons)
      if (r.key == k) text = std::string(k) + " is left out: " + std::string(r.text);
    if (k == "scale" && (cluster || s.scale.value_or(1) <= 1)) continue;
    warn(text);
  }
  for (const auto& [net, sn] : s.networks) {  // the Pod has one address, the cluster's
    if (!sn.ipv4_address.empty() || !sn.ipv6_address.empty())
      warn("networks." + net + ": a fixed address has no Kubernetes form");
    if (sn.priority) warn("networks." + net + ".priority has no Kubernetes form");
  }
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= unsigned{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace qpod::kube
