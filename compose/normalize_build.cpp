// build: a context string or a mapping, to a mapping with an absolute context and a dockerfile.
#include "compose/normalize_detail.h"

namespace qpod::compose::detail {

void normalize_build(Node& build, const std::string& path, Normalizer& nz) {
  if (build.is_scalar()) {
    Node m = Node::mapping(build.mark);
    m.set("context", Node::string(build.scalar, build.mark));
    build = std::move(m);
  }
  if (!build.is_mapping()) return;
  Node* context = build.find("context");
  if (!context) context = &build.set("context", Node::string(".", build.mark));
  if (context->is_scalar() && !is_remote_context(context->scalar))
    *context = Node::string(nz.host_path(context->scalar), context->mark);
  if (!build.find("dockerfile") && !build.find("dockerfile_inline"))
    build.set("dockerfile", Node::string("Dockerfile", build.mark));

  for (std::size_t i = 0; i < build.keys.size(); ++i) {
    const std::string& key = build.keys[i].name;
    Node& value = build.items[i];
    const std::string p = child_path(path, key);
    if (key == "args") {
      value = string_map(value, NoValue::FromEnv, nz);
    } else if (key == "labels") {
      value = string_map(value, NoValue::Empty, nz);
    } else if (key == "additional_contexts") {
      value = string_map(value, NoValue::Empty, nz);
      for (Node& v : value.items)
        if (v.is_scalar() && !v.scalar.empty() && !is_remote_context(v.scalar))
          v = Node::string(nz.host_path(v.scalar), v.mark);
    } else if (key == "shm_size") {
      normalize_bytes(value, p, nz);
    } else if (key == "extra_hosts") {
      normalize_extra_hosts(value, p, nz);
    } else if (key == "ulimits") {
      normalize_ulimits(value, p, nz);
    } else if (key == "secrets") {
      normalize_file_refs(value);
    } else if (key == "no_cache" || key == "pull" || key == "privileged") {
      normalize_bool(value, p, nz);
    }
  }
}

}  // namespace qpod::compose::detail
