// Service volumes: "[SOURCE:]TARGET[:MODE]" strings and mappings to one long-syntax mapping each.
#include "compose/normalize_detail.h"

namespace qpod::compose::detail {
namespace {

bool is_propagation(std::string_view o) {
  return o == "shared" || o == "rshared" || o == "slave" || o == "rslave" || o == "private" ||
         o == "rprivate";
}

bool is_consistency(std::string_view o) {
  return o == "cached" || o == "delegated" || o == "consistent";
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

// A sub-mapping of `m` ("bind", "volume"), made when missing.
Node& sub(Node& m, const char* key, const Mark& mark) {
  if (Node* existing = m.find(key); existing && existing->is_mapping()) return *existing;
  return m.set(key, Node::mapping(mark));
}

// The long form of a short-syntax volume, or an error message.
std::optional<Node> parse_short(const Node& item, Normalizer& nz, std::string& why) {
  const Mark& mark = item.mark;
  auto parts = split(item.scalar, ':');
  if (parts.size() > 3) {
    why = "expected [SOURCE:]TARGET[:MODE]";
    return std::nullopt;
  }
  Node m = Node::mapping(mark);
  if (parts.size() == 1) {  // an anonymous volume
    if (parts[0].empty()) {
      why = "expected [SOURCE:]TARGET[:MODE]";
      return std::nullopt;
    }
    m.set("target", Node::string(parts[0], mark));
    m.set("type", Node::string("volume", mark));
    return m;
  }
  const std::string& source = parts[0];
  if (source.empty() || parts[1].empty()) {
    why = "expected [SOURCE:]TARGET[:MODE]";
    return std::nullopt;
  }
  const bool bind = source[0] == '/' || source[0] == '.' || source[0] == '~';
  m.set("source", Node::string(bind ? nz.host_path(source) : source, mark));
  m.set("target", Node::string(parts[1], mark));
  m.set("type", Node::string(bind ? "bind" : "volume", mark));
  if (bind) sub(m, "bind", mark).set("create_host_path", Node::boolean(true, mark));
  if (parts.size() == 3) {
    for (const auto& option : split(parts[2], ',')) {
      if (option == "ro") {
        m.set("read_only", Node::boolean(true, mark));
      } else if (option == "rw") {
        // the default
      } else if (option == "z" || option == "Z") {
        sub(m, "bind", mark).set("selinux", Node::string(option, mark));
      } else if (is_propagation(option)) {
        sub(m, "bind", mark).set("propagation", Node::string(option, mark));
      } else if (option == "nocopy") {
        sub(m, "volume", mark).set("nocopy", Node::boolean(true, mark));
      } else if (is_consistency(option)) {
        m.set("consistency", Node::string(option, mark));
      } else {
        why = "unknown option \"" + option +
              "\" (expected ro, rw, z, Z, nocopy or a propagation mode)";
        return std::nullopt;
      }
    }
  }
  return m;
}

void normalize_long(Node& m, const std::string& path, Normalizer& nz) {
  const Node* type = m.find("type");
  const bool bind = type && type->is_scalar() && type->scalar == "bind";
  if (Node* ro = m.find("read_only")) {
    normalize_bool(*ro, child_path(path, "read_only"), nz);
    if (to_bool(*ro) == false) m.erase("read_only");
  }
  if (bind) {
    if (Node* source = m.find("source"); source && source->is_scalar())
      *source = Node::string(nz.host_path(source->scalar), source->mark);
    Node& options = sub(m, "bind", m.mark);
    if (Node* create = options.find("create_host_path"))
      normalize_bool(*create, child_path(path, "bind.create_host_path"), nz);
    else
      options.set("create_host_path", Node::boolean(true, m.mark));
  }
  if (Node* volume = m.find("volume"); volume && volume->is_mapping())
    if (Node* nocopy = volume->find("nocopy"))
      normalize_bool(*nocopy, child_path(path, "volume.nocopy"), nz);
  if (Node* tmpfs = m.find("tmpfs"); tmpfs && tmpfs->is_mapping())
    if (Node* size = tmpfs->find("size"))
      normalize_bytes(*size, child_path(path, "tmpfs.size"), nz);
}

}  // namespace

void normalize_volume_mounts(Node& volumes, const std::string& path, Normalizer& nz) {
  if (!volumes.is_sequence()) return;
  Node out = Node::sequence(volumes.mark);
  for (std::size_t i = 0; i < volumes.items.size(); ++i) {
    Node& item = volumes.items[i];
    const std::string p = index_path(path, i);
    if (item.is_mapping()) {
      normalize_long(item, p, nz);
      out.push_back(std::move(item));
    } else if (item.is_scalar()) {
      std::string why;
      if (auto m = parse_short(item, nz, why))
        out.push_back(std::move(*m));
      else
        nz.error(item, p, "invalid volume \"" + item.scalar + "\": " + why);
    }
  }
  dedupe(out);
  volumes = std::move(out);
}

}  // namespace qpod::compose::detail
