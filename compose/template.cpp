#include "compose/template.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "compose/normalize_detail.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

// Template keys that describe the environment: they move under the top-level x-qpod.
const std::set<std::string_view> kEnvironmentKeys = {
    "name", "image", "build", "env", "mounts", "binaries", "defaultRunArgs", "ports"};
// Top-level Compose keys a template may carry as they are (a service may use a named volume).
const std::set<std::string_view> kComposeKeys = {"volumes", "networks", "secrets", "configs"};
// Service keys of the dialect: they move under the service's x-qpod.
const std::set<std::string_view> kServiceKeys = {"start", "watch"};

// One template service: Compose keys as they are, start/watch under x-qpod, the environment's
// image (or build) when the service names none.
Node convert_service(const Node& service, const Node* image, const Node* build) {
  if (!service.is_mapping()) return service;  // the schema reports it, at its position
  Node out = Node::mapping(service.mark);
  Node qpod = Node::mapping(service.mark);
  Mark qpod_mark = service.mark;
  for (std::size_t i = 0; i < service.size(); ++i) {
    const Key& key = service.keys[i];
    if (kServiceKeys.count(key.name) > 0) {
      qpod.set(key.name, service.items[i], key.mark);
    } else if (key.name == "x-qpod" && service.items[i].is_mapping()) {
      qpod_mark = key.mark;
      for (std::size_t j = 0; j < service.items[i].size(); ++j)
        qpod.set(service.items[i].keys[j].name, service.items[i].items[j],
                 service.items[i].keys[j].mark);
    } else {
      out.set(key.name, service.items[i], key.mark);
    }
  }
  if (!out.find("image") && !out.find("build")) {
    if (image)
      out.set("image", *image, image->mark);
    else if (build)
      out.set("build", *build, build->mark);
  }
  if (!qpod.find("start")) qpod.set("start", Node::string("auto", service.mark), service.mark);
  out.set("x-qpod", std::move(qpod), qpod_mark);
  return out;
}

// `p` against `base` when relative; lexically normal, no trailing separator.
std::string absolute_against(const std::string& base, const std::string& p) {
  if (detail::is_absolute_path(p)) return fs::path(p).lexically_normal().string();
  return detail::join_path(base, p);
}

}  // namespace

Diagnostics check_json_template(const std::string& path, const std::string& s) {
  if (!path.ends_with(".json")) return {};
  try {
    const auto parsed = nlohmann::json::parse(s);
    (void)parsed;
    return {};
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte: 1-based offset of the character that ended the parse.
    const std::size_t at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, s.size());
    int line = 1, col = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (s[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string why = e.what();  // "[json.exception.parse_error.101] parse error at line 1, ..."
    if (const auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
    return {Diagnostic{path, line, col, "", "not valid JSON: " + why}};
  }
}

std::optional<std::string> find_template(const std::string& dir) {
  for (const char* name : {"template.json", "template.yaml", "template.yml"}) {
    const fs::path p = fs::path(dir) / ".qpod" / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

Result<Node> template_to_compose(const Node& tmpl) {
  if (tmpl.is_null()) return error_at(tmpl, "", "empty template: expected a mapping");
  if (!tmpl.is_mapping())
    return error_at(tmpl, "", "a template is a mapping (a JSON object), not " + describe(tmpl));
  const Node* services = tmpl.find("services");
  if (services && !services->is_mapping() && !services->is_null())
    return error_at(*services, "services",
                    "expected a mapping of services, not " + describe(*services));

  Node root = Node::mapping(tmpl.mark);
  Node env = Node::mapping(tmpl.mark);
  Node extensions = Node::mapping(tmpl.mark);
  Mark services_mark = tmpl.mark;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const Key& key = tmpl.keys[i];
    const Node& value = tmpl.items[i];
    if (key.name == "services") {
      services_mark = key.mark;
    } else if (kComposeKeys.count(key.name) > 0 ||
               (key.name.starts_with("x-") && key.name != "x-qpod")) {
      extensions.set(key.name, value, key.mark);
    } else {
      // Environment keys, and unknown ones: the schema names those under x-qpod.
      env.set(key.name, value, key.mark);
    }
  }
  Node out_services = Node::mapping(services_mark);
  if (services && services->is_mapping())
    for (std::size_t i = 0; i < services->size(); ++i)
      out_services.set(services->keys[i].name,
                       convert_service(services->items[i], env.find("image"), env.find("build")),
                       services->keys[i].mark);
  root.set("services", std::move(out_services), services_mark);
  for (std::size_t i = 0; i < extensions.size(); ++i)
    root.set(extensions.keys[i].name, extensions.items[i], extensions.keys[i].mark);
  root.set("x-qpod", std::move(env), tmpl.mark);
  return root;
}

Diagnostics normalize_qpod(Node& root, const NormalizeContext& ctx, const std::string& git_root) {
  Diagnostics errors;
  Node* env = root.is_mapping() ? root.find("x-qpod") : nullptr;
  if (!env || !env->is_mapping()) return errors;
  detail::Normalizer nz(ctx, errors);
  if (Node* vars = env->find("env"))
    *vars = detail::string_map(*vars, detail::NoValue::FromEnv, nz);
  if (Node* ports = env->find("ports")) detail::normalize_ports(*ports, "x-qpod.ports", nz);
  if (Node* build = env->find("build")) detail::normalize_build(*build, "x-qpod.build", nz);
  Node* mounts = env->find("mounts");
  if (!mounts || !mounts->is_sequence()) return errors;
  for (std::size_t i = 0; i < mounts->size(); ++i) {
    Node& mount = mounts->items[i];
    if (!mount.is_mapping()) continue;
    const std::string p = index_path("x-qpod.mounts", i);
    if (Node* ro = mount.find("readonly"))
      detail::normalize_bool(*ro, child_path(p, "readonly"), nz);
    Node* source = mount.find("source");
    if (!source || !source->is_scalar() || !ctx.resolve_paths) continue;
    std::string path = source->scalar;
    if (path == "~" || path.starts_with("~/") || git_root.empty())
      path = nz.host_path(path);
    else
      path = absolute_against(git_root, path);
    *source = Node::string(path, source->mark);
  }
  return errors;
}

}  // namespace qpod::compose
