// resolve_service_paths: a service's relative paths made absolute before it joins another file,
// in short or long syntax alike; nothing else changes.
#include "compose/normalize.h"
#include "compose/normalize_detail.h"

namespace qpod::compose {
namespace {

using detail::is_absolute_path;
using detail::join_path;

bool is_relative(std::string_view p) { return !p.empty() && !is_absolute_path(p) && p[0] != '~'; }

void resolve(Node& n, const std::string& base) {
  if (n.is_scalar() && is_relative(n.scalar)) n = Node::string(join_path(base, n.scalar), n.mark);
}

void resolve_build(Node& build, const std::string& base) {
  if (build.is_scalar()) {
    if (!detail::is_remote_context(build.scalar)) resolve(build, base);
    return;
  }
  if (!build.is_mapping()) return;
  Node* context = build.find("context");
  if (!context) {
    build.set("context", Node::string(base, build.mark));  // "." of the other file
  } else if (context->is_scalar() && !detail::is_remote_context(context->scalar)) {
    resolve(*context, base);
  }
  Node* extra = build.find("additional_contexts");
  if (!extra) return;
  if (extra->is_mapping()) {
    for (Node& v : extra->items)
      if (v.is_scalar() && !detail::is_remote_context(v.scalar)) resolve(v, base);
  } else if (extra->is_sequence()) {
    for (Node& item : extra->items) {
      auto eq = item.scalar.find('=');
      if (eq == std::string::npos) continue;
      std::string value = item.scalar.substr(eq + 1);
      if (is_relative(value) && !detail::is_remote_context(value))
        item = Node::string(item.scalar.substr(0, eq + 1) + join_path(base, value), item.mark);
    }
  }
}

void resolve_volume(Node& v, const std::string& base) {
  if (v.is_scalar()) {
    // "./data:/data:ro": only sources that start with "." are relative paths (others are
    // absolute, "~", or volume names).
    auto colon = v.scalar.find(':');
    if (colon == std::string::npos || v.scalar[0] != '.') return;
    v = Node::string(join_path(base, v.scalar.substr(0, colon)) + v.scalar.substr(colon), v.mark);
  } else if (v.is_mapping()) {
    const Node* type = v.find("type");
    Node* source = v.find("source");
    if (type && type->scalar == "bind" && source) resolve(*source, base);
  }
}

void resolve_env_file(Node& f, const std::string& base) {
  if (f.is_mapping()) {
    if (Node* p = f.find("path")) resolve(*p, base);
  } else {
    resolve(f, base);
  }
}

}  // namespace

void resolve_service_paths(Node& service, const std::string& base_dir) {
  if (!service.is_mapping()) return;
  if (Node* build = service.find("build")) resolve_build(*build, base_dir);
  if (Node* volumes = service.find("volumes"); volumes && volumes->is_sequence())
    for (Node& v : volumes->items) resolve_volume(v, base_dir);
  for (const char* key : {"env_file", "label_file"}) {
    Node* files = service.find(key);
    if (!files) continue;
    if (files->is_sequence())
      for (Node& f : files->items) resolve_env_file(f, base_dir);
    else
      resolve_env_file(*files, base_dir);
  }
  if (Node* develop = service.find("develop"); develop && develop->is_mapping())
    if (Node* watch = develop->find("watch"); watch && watch->is_sequence())
      for (Node& w : watch->items)
        if (Node* p = w.is_mapping() ? w.find("path") : nullptr) resolve(*p, base_dir);
}

}  // namespace qpod::compose
