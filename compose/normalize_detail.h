#pragma once
// Private to normalization: what normalize.cpp and its normalize_*.cpp parts share.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "compose/limits.h"
#include "compose/normalize.h"

namespace qpod::compose::detail {

// The context of one normalize() call and the errors it collects.
class Normalizer {
 public:
  Normalizer(const NormalizeContext& ctx, Diagnostics& errors) : ctx_(ctx), errors_(errors) {}
  const NormalizeContext& ctx() const { return ctx_; }
  void error(const Node& at, const std::string& path, std::string message);
  void add(Diagnostic d) { errors_.push_back(std::move(d)); }
  const std::string* env(const std::string& name) const;  // nullptr when not set
  // A host path as the engine uses it: "~" from HOME; relative ones joined to the project
  // directory when ctx.resolve_paths (else left relative).
  std::string host_path(const std::string& path) const;
  std::string project_file(const std::string& path) const;  // for reading, always absolute
  // Port entries the services' `ports:` may still expand to (kMaxPorts in all).
  std::size_t ports_left() const { return ports_left_; }
  void take_ports(std::size_t n) { ports_left_ -= std::min(n, ports_left_); }

 private:
  const NormalizeContext& ctx_;
  Diagnostics& errors_;
  std::size_t ports_left_ = kMaxPorts;
};

// `base`/`path`, lexically normal, without a trailing slash.
std::string join_path(const std::string& base, const std::string& path);
bool is_absolute_path(std::string_view path);
// Build contexts that are not directories: URLs, git remotes, "service:x", "docker-image://x".
bool is_remote_context(std::string_view context);

// true/false from a YAML boolean or the strings "true"/"false" (any case); nullopt otherwise.
std::optional<bool> to_bool(const Node& n);
// A scalar's text as a string node (numbers and booleans become their text), same mark.
Node to_string_node(const Node& n);
// Converts a boolean-or-string value in place; reports anything else.
void normalize_bool(Node& n, const std::string& path, Normalizer& nz);

// A mapping's keys by name, for building big mappings (Node::set and Node::find are linear: an
// environment of 200,000 variables was quadratic). A small mapping is scanned; a bigger one is
// indexed on first use. Once it is, keys are only added through set().
class KeyIndex {
 public:
  explicit KeyIndex(Node& mapping);
  Node* find(const std::string& key);
  void set(std::string key, Node value, Mark key_mark);  // replaces or appends

 private:
  static constexpr std::size_t kScanUpTo = 16;
  Node& mapping_;
  std::unordered_map<std::string, std::size_t> index_;
};

// What a name with no value becomes in a list_or_dict mapping.
enum class NoValue { Empty, Null, FromEnv };
// "K=V" lists or mappings to a mapping of strings (null where NoValue allows it).
Node string_map(const Node& n, NoValue no_value, const Normalizer& nz);
// A string or a list to a list of strings.
Node string_list(const Node& n);
// Drops items equal to an earlier one (lists the schema wants unique).
void dedupe(Node& sequence);
// Mapping keys sorted, recursively, except inside x-* values.
void sort_keys(Node& n, bool deep = true);  // deep = false: only this mapping's own keys
// The keys of a service's long forms (ports, healthcheck, depends_on, volumes) in compose-go's
// field order, as docker compose config prints them; sorted keys (x-*) after.
void order_as_compose(Node& service);

// The parts that have files of their own.
void normalize_ports(Node& ports, const std::string& path, Normalizer& nz);
void normalize_expose(Node& expose, const std::string& path, Normalizer& nz);
void normalize_volume_mounts(Node& volumes, const std::string& path, Normalizer& nz);
void normalize_environment(Node& service, const std::string& path, Normalizer& nz);
void normalize_build(Node& build, const std::string& path, Normalizer& nz);
void normalize_ulimits(Node& ulimits, const std::string& path, Normalizer& nz);
void normalize_extra_hosts(Node& hosts, const std::string& path, Normalizer& nz);
void normalize_file_refs(Node& refs);  // secrets, configs: strings to {source}
void normalize_duration(Node& n, const std::string& path, Normalizer& nz);
void normalize_bytes(Node& n, const std::string& path, Normalizer& nz);
void normalize_command(Node& n, const std::string& path, Normalizer& nz);

}  // namespace qpod::compose::detail
