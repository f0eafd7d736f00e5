#include "compose/validate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <string_view>
#include <unordered_set>

#include "base/suggest.h"

namespace qpod::compose {
namespace {

bool valid_service_name(std::string_view name) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || !alnum(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The image reference grammar of distribution/reference: [domain[:port]/]path[:tag][@digest],
// path components lower case. A value that starts with '-' would reach podman as a flag.
// Why `ref` is not a valid reference, or nullopt if it is.
std::optional<std::string> image_problem(const std::string& ref) {
  static const std::regex grammar = [] {
    const std::string domain_part = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    const std::string domain =
        "(?:" + domain_part + "(?:\\." + domain_part + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    const std::string component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    const std::string name = "(?:" + domain + "/)?" + component + "(?:/" + component + ")*";
    const std::string tag = "[\\w][\\w.-]{0,127}";
    const std::string digest =
        "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    return std::regex(name + "(?::" + tag + ")?(?:@" + digest + ")?");
  }();
  if (ref.empty()) return "an image reference cannot be empty";
  if (ref[0] == '-') return "an image reference cannot start with '-'";
  if (ref.size() > 512 || !std::regex_match(ref, grammar))
    return "expected [REGISTRY[:PORT]/]NAME[:TAG][@DIGEST], the name in lower case";
  return std::nullopt;
}

// A host name for /etc/hosts (extra_hosts, hostname, aliases): podman splits --add-host values
// at ',' and other characters would make a second entry or a flag.
bool valid_host_name(std::string_view name) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || name.size() > 253 || !alnum(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '-' || c == '_'; });
}

bool valid_ip(const std::string& ip) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, ip.c_str(), buf) == 1 || ::inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

// A resolv.conf option (`ndots:2`, `rotate`, `edns0`): podman splits --dns-option values at ','.
bool valid_dns_option(std::string_view opt) {
  auto word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  };
  auto colon = opt.find(':');
  std::string_view name = opt.substr(0, colon);
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0])) ||
      !std::all_of(name.begin(), name.end(), word))
    return false;
  if (colon == std::string_view::npos) return true;
  std::string_view value = opt.substr(colon + 1);
  return !value.empty() && value.size() <= 16 &&
         std::all_of(value.begin(), value.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool any_address(std::string_view ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; }

// One entry of a list or mapping that names something: `name` from a scalar item or a key.
struct NameRef {
  std::string name;
  Mark mark;  // of the key or the scalar
  std::string path;
  const Node* value;  // the mapping value (long syntax), or null
};

// Names in a list of strings or the keys of a mapping (short and long syntax alike).
std::vector<NameRef> names_in(const Node& n, const std::string& path) {
  std::vector<NameRef> out;
  if (n.is_sequence()) {
    for (std::size_t i = 0; i < n.size(); ++i)
      if (n.items[i].is_scalar())
        out.push_back({n.items[i].scalar, n.items[i].mark, index_path(path, i), nullptr});
  } else if (n.is_mapping()) {
    for (std::size_t i = 0; i < n.size(); ++i)
      out.push_back(
          {n.keys[i].name, n.keys[i].mark, child_path(path, n.keys[i].name), &n.items[i]});
  }
  return out;
}

class Validator {
 public:
  Validator(const Node& root, const Node& disabled) : root_(root), disabled_(disabled) {}

  // The rules of one pod only: ports shared by every service of the project.
  Diagnostics run_pod() {
    if (const Node* services = root_.find("services"); services && services->is_mapping())
      for (std::size_t i = 0; i < services->size(); ++i)
        if (const Node* ports = services->items[i].find("ports"); ports && ports->is_sequence())
          for (std::size_t j = 0; j < ports->size(); ++j)
            if (ports->items[j].is_mapping())
              check_port(
                  services->keys[i].name, ports->items[j],
                  index_path(child_path(child_path("services", services->keys[i].name), "ports"),
                             j));
    return std::move(errors_);
  }

  Diagnostics run() {
    const Node* services = root_.find("services");
    if (services && services->is_mapping()) {
      for (const auto& key : services->keys) service_names_.insert(key.name);
      check_names(*services);
      for (std::size_t i = 0; i < services->size(); ++i)
        if (services->items[i].is_mapping())
          check_service(services->keys[i].name, services->items[i], services->keys[i].mark);
    }
    if (disabled_.is_mapping()) check_names(disabled_);
    check_resource_names("volumes");
    check_resource_names("networks");
    check_environment();
    return std::move(errors_);
  }

 private:
  void error(const Mark& m, const std::string& path, std::string message) {
    errors_.push_back(error_at(m, path, std::move(message)));
  }

  void check_names(const Node& services) {
    for (const auto& key : services.keys)
      if (!valid_service_name(key.name))
        error(key.mark, child_path("services", key.name),
              "invalid service name " + quote(key.name) + ": expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
  }

  bool defined(std::string_view top, const std::string& name) const {
    const Node* m = root_.find(top);
    return m && m->is_mapping() && m->find(name);
  }

  // `from` refers to service `to` ("depends on", "links to"...). A service that profiles disabled
  // is an error too (the spec: references do not enable it), unless the reference is optional.
  void service_ref(const std::string& from, const std::string& to, const Mark& at,
                   const std::string& path, std::string_view verb, bool required = true) {
    std::string who = "service " + quote(from) + " " + std::string(verb) + " ";
    if (to == from) return error(at, path, who + "itself");
    if (service_names_.count(to)) return;
    const Node* off = disabled_.is_mapping() ? disabled_.find(to) : nullptr;
    if (!off) {
      std::vector<std::string> names(service_names_.begin(), service_names_.end());
      std::sort(names.begin(), names.end());  // a set without order: ties in name order
      return error(at, path, who + "undefined service " + quote(to) + did_you_mean(to, names));
    }
    if (!required) return;
    std::string how;
    if (const Node* profiles = off->find("profiles"); profiles && profiles->is_sequence())
      for (const auto& p : profiles->items)
        how += (how.empty() ? "" : " or ") + ("--profile " + p.scalar);
    error(at, path,
          who + "service " + quote(to) + ", which is disabled" +
              (how.empty() ? "" : ": enable it with " + how));
  }

  void check_service(const std::string& name, const Node& s, const Mark& key_mark) {
    const std::string path = child_path("services", name);
    if (!s.find("image") && !s.find("build") && !s.find("provider"))
      error(key_mark, path, "service " + quote(name) + " has neither an image nor a build section");
    check_scale(name, s, path);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string& key = s.keys[i].name;
      const Node& v = s.items[i];
      const std::string p = child_path(path, key);
      if (key == "depends_on") {
        for (const auto& ref : names_in(v, p)) {
          bool required = true;
          if (ref.value && ref.value->is_mapping())
            if (const Node* r = ref.value->find("required"); r && r->as_bool() == false)
              required = false;
          service_ref(name, ref.name, ref.mark, ref.path, "depends on", required);
        }
      } else if (key == "links") {
        for (const auto& ref : names_in(v, p)) {  // "svc" or "svc:alias"
          service_ref(name, ref.name.substr(0, ref.name.find(':')), ref.mark, ref.path, "links to");
          if (auto c = ref.name.find(':');
              c != std::string::npos && !valid_host_name(ref.name.substr(c + 1)))
            error(ref.mark, ref.path,
                  "invalid link alias " + quote(ref.name.substr(c + 1)) + ": expected a host name");
        }
      } else if (key == "volumes_from") {
        for (const auto& ref : names_in(v, p))  // "svc[:ro|rw]"; "container:x" is not ours
          if (!ref.name.starts_with("container:"))
            service_ref(name, ref.name.substr(0, ref.name.find(':')), ref.mark, ref.path,
                        "mounts volumes from");
      } else if (key == "network_mode") {
        check_network_mode(name, s, v, p);
      } else if (key == "networks") {
        for (const auto& ref : names_in(v, p)) {
          if (ref.name != "default" && !defined("networks", ref.name))
            error(ref.mark, ref.path,
                  "service " + quote(name) + " uses undefined network " + quote(ref.name));
          const Node* aliases =
              ref.value && ref.value->is_mapping() ? ref.value->find("aliases") : nullptr;
          if (aliases && aliases->is_sequence())
            for (std::size_t j = 0; j < aliases->size(); ++j)
              if (aliases->items[j].is_scalar())
                check_host_name(aliases->items[j], index_path(child_path(ref.path, "aliases"), j),
                                "network alias");
        }
      } else if (key == "volumes") {
        check_volumes(name, v, p);
      } else if (key == "secrets" || key == "configs") {
        check_file_refs(name, key, v, p);
      } else if (key == "image" && v.is_scalar()) {
        check_image(v, p);
      } else if (key == "provider" && v.is_mapping()) {
        check_provider(v, p);
      } else if (key == "build" && v.is_mapping()) {
        check_tags(v, child_path(p, "tags"));
        // Normalized: an absolute path or a URL; the last argument of `podman build`.
        if (const Node* c = v.find("context"); c && c->is_scalar() && c->scalar.starts_with("-"))
          error(c->mark, child_path(p, "context"),
                "invalid build context " + quote(c->scalar) + ": a context cannot start with '-'");
      } else if (key == "hostname" && v.is_scalar()) {
        check_host_name(v, p, "hostname");
      } else if (key == "extra_hosts") {
        check_extra_hosts(v, p);
      } else if (key == "dns" || key == "dns_search" || key == "dns_opt") {
        // --dns, --dns-search and --dns-option split their values at ',': one address, domain or
        // option each.
        auto each = [&](const Node& item, const std::string& ip) {
          if (!item.is_scalar()) return;
          if (key == "dns" && !valid_ip(item.scalar))
            error(
                item.mark, ip,
                "invalid DNS server " + quote(item.scalar) + ": expected an IPv4 or IPv6 address");
          if (key == "dns_search") check_host_name(item, ip, "DNS search domain");
          if (key == "dns_opt" && !valid_dns_option(item.scalar))
            error(item.mark, ip,
                  "invalid DNS option " + quote(item.scalar) +
                      ": expected NAME or NAME:NUMBER (as in resolv.conf: ndots:2, rotate)");
        };
        if (v.is_sequence())
          for (std::size_t j = 0; j < v.size(); ++j) each(v.items[j], index_path(p, j));
        else
          each(v, p);
      } else if (key == "container_name" && v.is_scalar()) {
        if (!valid_service_name(v.scalar))
          error(v.mark, p,
                "invalid container name " + quote(v.scalar) +
                    ": expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        auto [it, fresh] = container_names_.try_emplace(v.scalar, name);
        if (!fresh && it->second != name)
          error(v.mark, p,
                "container name " + quote(v.scalar) + " is already used by service " +
                    quote(it->second));
      } else if (key == "extends") {
        error(s.keys[i].mark, p, "extends was not resolved");
      }
    }
  }

  void check_image(const Node& v, const std::string& p) {
    if (auto problem = image_problem(v.scalar))
      error(v.mark, p, "invalid image reference " + quote(v.scalar) + ": " + *problem);
  }

  // provider: `type` is a program looked up in PATH, and each option becomes one
  // `--NAME=VALUE` argument: names are plain words, so none reads as another flag.
  void check_provider(const Node& v, const std::string& p) {
    auto word = [](std::string_view w, std::string_view more) {
      return !w.empty() && std::all_of(w.begin(), w.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || more.find(c) != std::string::npos;
      });
    };
    if (const Node* type = v.find("type"); type && type->is_scalar()) {
      const std::string& t = type->scalar;
      if (!word(t, "_.-") || t[0] == '-' || t[0] == '.')
        error(type->mark, child_path(p, "type"),
              "invalid provider type " + quote(t) +
                  ": expected a program name found in PATH ([a-zA-Z0-9_][a-zA-Z0-9_.-]*)");
      else if (t == "compose")
        error(type->mark, child_path(p, "type"), "'compose' is not a valid provider type");
    }
    const Node* options = v.find("options");
    if (!options || !options->is_mapping()) return;
    for (const auto& k : options->keys)
      if (!word(k.name, "_-") || !std::isalnum(static_cast<unsigned char>(k.name[0])))
        error(k.mark, child_path(child_path(p, "options"), k.name),
              "invalid provider option name " + quote(k.name) +
                  ": expected [a-zA-Z0-9][a-zA-Z0-9_-]* (it is passed as --NAME=VALUE)");
  }

  void check_tags(const Node& build, const std::string& p) {
    const Node* tags = build.find("tags");
    if (!tags || !tags->is_sequence()) return;
    for (std::size_t j = 0; j < tags->size(); ++j)
      if (tags->items[j].is_scalar()) check_image(tags->items[j], index_path(p, j));
  }

  void check_host_name(const Node& v, const std::string& p, const std::string& what) {
    if (!valid_host_name(v.scalar))
      error(v.mark, p,
            "invalid " + what + " " + quote(v.scalar) +
                ": expected a host name (letters, digits, '.', '-' and '_', starting with a "
                "letter or digit)");
  }

  // Normalized: "HOST:IP" (an IPv6 address holds more colons).
  void check_extra_hosts(const Node& v, const std::string& p) {
    if (!v.is_sequence()) return;
    for (std::size_t j = 0; j < v.size(); ++j) {
      const Node& item = v.items[j];
      if (!item.is_scalar()) continue;
      const std::string ip_path = index_path(p, j);
      auto colon = item.scalar.find(':');
      std::string host = item.scalar.substr(0, colon);
      std::string ip = colon == std::string::npos ? "" : item.scalar.substr(colon + 1);
      if (!valid_host_name(host))
        error(item.mark, ip_path,
              "invalid extra host name " + quote(host) +
                  ": expected a host name (letters, digits, '.', '-' and '_', starting with a "
                  "letter or digit)");
      else if (ip != "host-gateway" && !valid_ip(ip))
        error(item.mark, ip_path,
              "invalid extra host address " + quote(ip) + " for " + quote(host) +
                  ": expected an IPv4 or IPv6 address (or host-gateway)");
    }
  }

  // Top-level volumes and networks: podman creates them by this name (`volume create NAME`).
  void check_resource_names(std::string_view top) {
    const Node* m = root_.find(top);
    if (!m || !m->is_mapping()) return;
    for (std::size_t i = 0; i < m->size(); ++i) {
      const Node* n = m->items[i].is_mapping() ? m->items[i].find("name") : nullptr;
      if (n && n->is_scalar() && !valid_service_name(n->scalar))
        error(n->mark, child_path(child_path(std::string(top), m->keys[i].name), "name"),
              "invalid name " + quote(n->scalar) + ": expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }
  }

  // A QPOD template's environment image (x-qpod.image, x-qpod.build.tags).
  void check_environment() {
    const Node* env = root_.find("x-qpod");
    if (!env || !env->is_mapping()) return;
    if (const Node* image = env->find("image"); image && image->is_scalar())
      check_image(*image, "x-qpod.image");
    if (const Node* build = env->find("build"); build && build->is_mapping())
      check_tags(*build, "x-qpod.build.tags");
  }

  // A fixed container name is unique: docker compose refuses to scale such a service too.
  void check_scale(const std::string& name, const Node& s, const std::string& path) {
    const Node* deploy = s.find("deploy");
    std::pair<const Node*, std::string> counts[] = {
        {s.find("scale"), child_path(path, "scale")},
        {deploy && deploy->is_mapping() ? deploy->find("replicas") : nullptr,
         child_path(path, "deploy.replicas")}};
    for (const auto& [n, p] : counts)
      if (n && n->as_int() && *n->as_int() < 0)
        error(n->mark, p,
              "service " + quote(name) + ": the number of containers cannot be negative (got " +
                  n->scalar + ")");
    const Node* container_name = s.find("container_name");
    if (!container_name) return;
    for (const auto& [n, p] : counts)
      if (n && n->as_int() && *n->as_int() > 1)
        error(n->mark, p,
              "service " + quote(name) + " sets container_name " + quote(container_name->scalar) +
                  ", so it cannot run " + n->scalar + " containers");
  }

  void check_network_mode(const std::string& name, const Node& s, const Node& v,
                          const std::string& p) {
    if (!v.is_scalar()) return;
    // "container:X" names any container, also one that no compose file defines: not checked.
    if (v.scalar.starts_with("service:"))
      service_ref(name, v.scalar.substr(8), v.mark, p, "uses the network of");
    if (const Node* n = s.find("networks"); n && n->size() > 0)
      error(v.mark, p,
            "service " + quote(name) +
                " sets both network_mode and networks: with network_mode it joins no network");
  }

  void check_volumes(const std::string& name, const Node& v, const std::string& p) {
    if (!v.is_sequence()) return;
    for (std::size_t j = 0; j < v.size(); ++j) {
      const Node& item = v.items[j];
      std::string source;
      Mark at = item.mark;
      std::string ip = index_path(p, j);
      if (item.is_mapping()) {
        const Node* type = item.find("type");
        const Node* src = item.find("source");
        if (!type || type->scalar != "volume" || !src || !src->is_scalar()) continue;
        source = src->scalar;
        at = src->mark;
        ip = child_path(ip, "source");
      } else if (item.is_scalar()) {  // short syntax, before normalize: "name:/path[:mode]"
        auto colon = item.scalar.find(':');
        if (colon == std::string::npos) continue;
        source = item.scalar.substr(0, colon);
        if (source.empty() || source[0] == '/' || source[0] == '.' || source[0] == '~') continue;
      }
      if (!source.empty() && !defined("volumes", source))
        error(at, ip,
              "service " + quote(name) + " uses undefined volume " + quote(source) +
                  ": define it under the top-level volumes");
    }
  }

  void check_file_refs(const std::string& name, const std::string& kind, const Node& v,
                       const std::string& p) {
    if (!v.is_sequence()) return;
    const std::string what = kind == "secrets" ? "secret" : "config";
    for (std::size_t j = 0; j < v.size(); ++j) {
      const Node& item = v.items[j];
      const Node* src = item.is_mapping() ? item.find("source") : &item;
      if (!src || !src->is_scalar()) continue;
      std::string ip = index_path(p, j);
      if (item.is_mapping()) ip = child_path(ip, "source");
      if (!defined(kind, src->scalar))
        error(src->mark, ip,
              "service " + quote(name) + " uses undefined " + what + " " + quote(src->scalar));
    }
  }

  // qpod runs every service in one pod: ports are the pod's, shared by all its containers.
  void check_port(const std::string& name, const Node& port, const std::string& p) {
    const Node* target = port.find("target");
    if (!target || !target->as_int()) return;
    std::string protocol = "tcp";
    if (const Node* pr = port.find("protocol"); pr && pr->is_scalar()) protocol = pr->scalar;
    const auto t = static_cast<std::uint32_t>(*target->as_int());

    auto [it, fresh] = container_ports_.try_emplace({t, protocol}, name, p);
    if (!fresh && it->second.first != name)
      error(port.mark, p,
            "container port " + std::to_string(t) + "/" + protocol +
                " is also published by service " + quote(it->second.first) + " (" +
                it->second.second +
                "): qpod runs all services in one pod, which has one network namespace, so only "
                "one container can listen on a port");

    const Node* published = port.find("published");
    if (!published || !published->is_scalar() || published->scalar.empty()) return;
    auto range = parse_port_range(published->scalar);
    if (!range) {
      error(published->mark, child_path(p, "published"),
            "invalid published port " + quote(published->scalar) +
                ": expected a port (1-65535) or a range such as \"8080-8081\"");
      return;
    }
    std::string host_ip;
    if (const Node* ip = port.find("host_ip"); ip && ip->is_scalar()) host_ip = ip->scalar;
    if (any_address(host_ip)) host_ip.clear();
    const auto [lo, hi] = *range;
    // An address of any conflicts with every range of the protocol; a given one, with the
    // ranges of that address and of any.
    ProtocolPorts& ports = host_ports_[protocol];
    std::optional<std::size_t> other =
        host_ip.empty() ? overlap(ports.all, lo, hi) : overlap(ports.by_ip[""], lo, hi);
    if (!other && !host_ip.empty()) other = overlap(ports.by_ip[host_ip], lo, hi);
    if (other) {
      const HostPort& o = published_[*other];
      error(port.mark, p,
            "host port " + std::to_string(std::max(o.lo, lo)) + "/" + protocol +
                " is already published by service " + quote(o.service) + " (" + o.path +
                "): qpod runs all services in one pod, so a host port can be published only once");
      return;
    }
    const std::size_t index = published_.size();
    published_.push_back({lo, hi, name, p});
    ports.by_ip[host_ip].emplace(lo, Piece{hi, index});
    cover(ports.all, lo, hi, index);
  }

  // Host port ranges are checked in O(log n) each (a file publishing 1-65535 took seconds):
  // intervals in maps by their first port. The ranges of one address never overlap (an overlap
  // is an error and is not kept); `all` covers the ranges of every address with pieces that do
  // not overlap, each piece owned by one range that covers it.
  struct HostPort {
    std::uint32_t lo, hi;
    std::string service, path;
  };
  struct Piece {
    std::uint32_t hi;
    std::size_t owner;  // index in published_
  };
  using Pieces = std::map<std::uint32_t, Piece>;  // first port → piece
  struct ProtocolPorts {
    std::map<std::string, Pieces> by_ip;  // "" is any address
    Pieces all;
  };

  // The owner of a piece that overlaps lo..hi, if any.
  static std::optional<std::size_t> overlap(const Pieces& pieces, std::uint32_t lo,
                                            std::uint32_t hi) {
    auto it = pieces.upper_bound(hi);
    if (it == pieces.begin()) return std::nullopt;
    --it;  // the last piece starting at or before hi
    if (it->second.hi < lo) return std::nullopt;
    return it->second.owner;
  }

  // Adds lo..hi, owned by `owner`, to pieces: the pieces inside it give way to one piece of
  // `owner`; pieces that stick out on either side stay (each piece goes once: O(log n) amortized).
  static void cover(Pieces& pieces, std::uint32_t lo, std::uint32_t hi, std::size_t owner) {
    std::uint32_t from = lo, to = hi;
    auto it = pieces.lower_bound(lo);
    if (it != pieces.begin()) {
      if (auto before = std::prev(it); before->second.hi >= lo) {
        if (before->second.hi >= hi) return;  // covered already
        from = before->second.hi + 1;
      }
    }
    while (it != pieces.end() && it->first <= hi && it->second.hi <= hi) it = pieces.erase(it);
    if (it != pieces.end() && it->first <= hi) to = it->first - 1;
    if (from <= to) pieces.emplace(from, Piece{to, owner});
  }

  const Node& root_;
  const Node& disabled_;
  std::unordered_set<std::string> service_names_;  // Node::find is linear
  Diagnostics errors_;
  std::map<std::string, std::string> container_names_;  // container name → service
  std::map<std::pair<std::uint32_t, std::string>, std::pair<std::string, std::string>>
      container_ports_;  // (target, protocol) → (service, path)
  std::vector<HostPort> published_;
  std::map<std::string, ProtocolPorts> host_ports_;  // by protocol
};

}  // namespace

std::optional<std::pair<std::uint32_t, std::uint32_t>> parse_port_range(std::string_view s) {
  auto number = [](std::string_view t) -> std::optional<std::uint32_t> {
    if (t.empty() || t.size() > 5) return std::nullopt;
    std::uint32_t v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (v == 0 || v > 65535) return std::nullopt;
    return v;
  };
  auto dash = s.find('-');
  auto lo = number(s.substr(0, dash));
  auto hi = dash == std::string_view::npos ? lo : number(s.substr(dash + 1));
  if (!lo || !hi || *hi < *lo) return std::nullopt;
  return std::pair{*lo, *hi};
}

Diagnostics validate_project(const Node& root, const Node& disabled) {
  return Validator(root, disabled).run();
}

Diagnostics validate_pod(const Node& root) { return Validator(root, Node::mapping()).run_pod(); }

}  // namespace qpod::compose
