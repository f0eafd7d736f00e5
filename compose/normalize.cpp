// Normalization: every service key to its long form, top-level resources named, keys sorted.
// The value conversions live in normalize_*.cpp; this file walks the tree.
#include "compose/normalize.h"

#include <map>

#include "compose/normalize_detail.h"

namespace qpod::compose {
namespace {

using detail::Normalizer;
using Handler = void (*)(Node& value, const std::string& path, Normalizer& nz);

void as_string_list(Node& v, const std::string&, Normalizer&) {
  v = detail::string_list(v);
  detail::dedupe(v);
}
void as_string_map(Node& v, const std::string&, Normalizer& nz) {
  v = detail::string_map(v, detail::NoValue::Empty, nz);
}

void as_restart(Node& v, const std::string& path, Normalizer& nz) {
  if (!v.is_scalar()) return;
  const std::string& s = v.scalar;
  bool ok = s == "no" || s == "always" || s == "on-failure" || s == "unless-stopped";
  if (s.rfind("on-failure:", 0) == 0) {
    std::string n = s.substr(11);
    ok = !n.empty() && n.size() < 10 && n.find_first_not_of("0123456789") == std::string::npos;
  }
  if (ok) {
    v = detail::to_string_node(v);
    return;
  }
  nz.error(v, path,
           "invalid restart policy \"" + s +
               "\": expected \"no\", \"always\", \"on-failure[:MAX_RETRIES]\" or "
               "\"unless-stopped\"");
}

void as_depends_on(Node& v, const std::string& path, Normalizer& nz) {
  Node out = Node::mapping(v.mark);
  if (v.is_sequence()) {
    for (const Node& name : v.items) out.set(name.scalar, Node::mapping(name.mark), name.mark);
  } else if (v.is_mapping()) {
    out = v;
  } else {
    return;
  }
  for (std::size_t i = 0; i < out.keys.size(); ++i) {
    Node& dep = out.items[i];
    const std::string p = child_path(path, out.keys[i].name);
    if (!dep.is_mapping()) continue;
    if (!dep.find("condition")) dep.set("condition", Node::string("service_started", dep.mark));
    for (const char* key : {"required", "restart"}) {
      if (Node* b = dep.find(key))
        detail::normalize_bool(*b, child_path(p, key), nz);
      else
        dep.set(key, Node::boolean(std::string_view(key) == "required", dep.mark));
    }
  }
  v = std::move(out);
}

void as_healthcheck(Node& v, const std::string& path, Normalizer& nz) {
  if (!v.is_mapping()) return;
  const Node* disable = v.find("disable");
  const Node* test = v.find("test");
  const bool none = test && test->is_sequence() && !test->items.empty() &&
                    test->items[0].is_scalar() && test->items[0].scalar == "NONE";
  if ((disable && detail::to_bool(*disable) == true) || none) {
    Node m = Node::mapping(v.mark);
    m.set("disable", Node::boolean(true, disable ? disable->mark : v.mark));
    v = std::move(m);
    return;
  }
  if (disable) {
    Node d = *disable;
    detail::normalize_bool(d, child_path(path, "disable"), nz);
    v.erase("disable");
  }
  if (Node* t = v.find("test"); t && t->is_scalar()) {
    Node list = Node::sequence(t->mark);
    list.push_back(Node::string("CMD-SHELL", t->mark));
    list.push_back(Node::string(t->scalar, t->mark));
    *t = std::move(list);
  }
  for (const char* key : {"interval", "timeout", "start_period", "start_interval"})
    if (Node* d = v.find(key)) detail::normalize_duration(*d, child_path(path, key), nz);
  if (Node* retries = v.find("retries"); retries && retries->is_scalar()) {
    auto n = Node::plain(retries->scalar).as_int();
    if (n && *n >= 0)
      *retries = Node::number(*n, retries->mark);
    else
      nz.error(*retries, child_path(path, "retries"),
               "invalid retries \"" + retries->scalar + "\": expected a non-negative integer");
  }
}

void as_service_networks(Node& v, const std::string& path, Normalizer& nz) {
  if (v.is_sequence()) {
    Node m = Node::mapping(v.mark);
    for (const Node& name : v.items) m.set(name.scalar, Node::null(name.mark), name.mark);
    v = std::move(m);
    return;
  }
  if (!v.is_mapping()) return;
  for (std::size_t i = 0; i < v.keys.size(); ++i)
    if (Node* opts = v.items[i].is_mapping() ? v.items[i].find("driver_opts") : nullptr)
      *opts = detail::string_map(*opts, detail::NoValue::Empty, nz);
  (void)path;
}

void as_devices(Node& v, const std::string&, Normalizer&) {
  if (!v.is_sequence()) return;
  for (Node& d : v.items) {
    if (!d.is_mapping()) {
      d = detail::to_string_node(d);
      continue;
    }
    const Node* source = d.find("source");
    const Node* target = d.find("target");
    const Node* permissions = d.find("permissions");
    std::string s = source ? source->scalar : "";
    if (target || permissions) s += ":" + (target ? target->scalar : s);
    if (permissions) s += ":" + permissions->scalar;
    d = Node::string(s, d.mark);
  }
}

void as_deploy(Node& v, const std::string& path, Normalizer& nz) {
  if (!v.is_mapping()) return;
  if (Node* labels = v.find("labels"))
    *labels = detail::string_map(*labels, detail::NoValue::Empty, nz);
  const std::pair<const char*, const char*> durations[] = {
      {"restart_policy", "delay"},  {"restart_policy", "window"}, {"update_config", "delay"},
      {"update_config", "monitor"}, {"rollback_config", "delay"}, {"rollback_config", "monitor"}};
  for (const auto& [section, key] : durations) {
    Node* s = v.find(section);
    if (Node* d = s && s->is_mapping() ? s->find(key) : nullptr)
      detail::normalize_duration(*d, child_path(child_path(path, section), key), nz);
  }
}

// One service_hook (post_start, pre_stop, develop.watch exec).
void normalize_hook(Node& hook, const std::string& p, Normalizer& nz) {
  if (!hook.is_mapping()) return;
  if (Node* c = hook.find("command")) detail::normalize_command(*c, child_path(p, "command"), nz);
  if (Node* e = hook.find("environment")) *e = detail::string_map(*e, detail::NoValue::FromEnv, nz);
  if (Node* b = hook.find("privileged"))
    detail::normalize_bool(*b, child_path(p, "privileged"), nz);
}

void as_hooks(Node& v, const std::string& path, Normalizer& nz) {
  if (!v.is_sequence()) return;
  for (std::size_t i = 0; i < v.items.size(); ++i)
    normalize_hook(v.items[i], index_path(path, i), nz);
}

void as_develop(Node& v, const std::string& path, Normalizer& nz) {
  Node* watch = v.is_mapping() ? v.find("watch") : nullptr;
  if (!watch || !watch->is_sequence()) return;
  for (std::size_t i = 0; i < watch->items.size(); ++i) {
    Node& w = watch->items[i];
    if (!w.is_mapping()) continue;
    if (Node* p = w.find("path"); p && p->is_scalar())
      *p = Node::string(nz.host_path(p->scalar), p->mark);
    for (const char* key : {"ignore", "include"})  // string_or_list
      if (Node* l = w.find(key)) *l = detail::string_list(*l);
    if (Node* e = w.find("exec"))
      normalize_hook(*e, child_path(index_path(child_path(path, "watch"), i), "exec"), nz);
  }
}

void as_label_files(Node& v, const std::string&, Normalizer& nz) {
  v = detail::string_list(v);
  for (Node& f : v.items)
    if (f.is_scalar()) f = Node::string(nz.host_path(f.scalar), f.mark);
}

void as_file_refs(Node& v, const std::string&, Normalizer&) { detail::normalize_file_refs(v); }

// provider.options: each value a list of strings, as compose-go's MultiOptions (size: 1 is
// size: ["1"]); a provider gets one --KEY=VALUE per item.
void as_provider(Node& v, const std::string&, Normalizer&) {
  Node* options = v.is_mapping() ? v.find("options") : nullptr;
  if (!options || !options->is_mapping()) return;
  for (Node& value : options->items) value = detail::string_list(value);
}

const std::map<std::string_view, Handler>& service_handlers() {
  static const std::map<std::string_view, Handler> kHandlers = {
      {"annotations", as_string_map},
      {"attach", detail::normalize_bool},
      {"build", detail::normalize_build},
      {"cap_add", as_string_list},
      {"cap_drop", as_string_list},
      {"command", detail::normalize_command},
      {"configs", as_file_refs},
      {"depends_on", as_depends_on},
      {"deploy", as_deploy},
      {"develop", as_develop},
      {"device_cgroup_rules", as_string_list},
      {"devices", as_devices},
      {"dns", as_string_list},
      {"dns_opt", as_string_list},
      {"dns_search", as_string_list},
      {"entrypoint", detail::normalize_command},
      {"expose", detail::normalize_expose},
      {"external_links", as_string_list},
      {"extra_hosts", detail::normalize_extra_hosts},
      {"group_add", as_string_list},
      {"healthcheck", as_healthcheck},
      {"init", detail::normalize_bool},
      {"label_file", as_label_files},
      {"labels", as_string_map},
      {"links", as_string_list},
      {"mem_limit", detail::normalize_bytes},
      {"mem_reservation", detail::normalize_bytes},
      {"memswap_limit", detail::normalize_bytes},
      {"networks", as_service_networks},
      {"oom_kill_disable", detail::normalize_bool},
      {"ports", detail::normalize_ports},
      {"post_start", as_hooks},
      {"pre_stop", as_hooks},
      {"privileged", detail::normalize_bool},
      {"profiles", as_string_list},
      {"provider", as_provider},
      {"read_only", detail::normalize_bool},
      {"restart", as_restart},
      {"secrets", as_file_refs},
      {"security_opt", as_string_list},
      {"shm_size", detail::normalize_bytes},
      {"stdin_open", detail::normalize_bool},
      {"stop_grace_period", detail::normalize_duration},
      {"sysctls", as_string_map},
      {"tmpfs", as_string_list},
      {"tty", detail::normalize_bool},
      {"ulimits", detail::normalize_ulimits},
      {"volumes", detail::normalize_volume_mounts},
      {"volumes_from", as_string_list},
  };
  return kHandlers;
}

void normalize_service(Node& service, const std::string& path, Normalizer& nz) {
  if (!service.is_mapping()) return;
  const auto& handlers = service_handlers();
  for (std::size_t i = 0; i < service.keys.size(); ++i) {
    auto it = handlers.find(service.keys[i].name);
    if (it != handlers.end()) it->second(service.items[i], child_path(path, it->first), nz);
  }
  detail::normalize_environment(service, path, nz);
  // A provider's service is no container: no network (as compose-go).
  if (!service.find("networks") && !service.find("network_mode") && !service.find("provider")) {
    Node m = Node::mapping(service.mark);
    m.set("default", Node::null(service.mark));
    service.set("networks", std::move(m));
  }
  detail::sort_keys(service);
  detail::order_as_compose(service);
}

// Top-level networks, volumes, secrets, configs: names on the host, external flags, paths.
void normalize_resources(Node& section, const std::string& kind, Normalizer& nz) {
  if (!section.is_mapping()) return;
  const std::string& project = nz.ctx().project_name;
  for (std::size_t i = 0; i < section.keys.size(); ++i) {
    const std::string& key = section.keys[i].name;
    const std::string path = child_path(kind, key);
    Node& r = section.items[i];
    if (key.rfind("x-", 0) == 0) continue;
    if (r.is_null()) r = Node::mapping(r.mark);
    if (!r.is_mapping()) continue;
    bool external = false;
    if (Node* ext = r.find("external")) {
      if (ext->is_mapping()) {  // external: {name: x} (deprecated) is external: true, name: x
        const Node* old_name = ext->find("name");
        Node name = old_name ? detail::to_string_node(*old_name) : Node();
        *ext = Node::boolean(true, ext->mark);
        if (!name.is_null() && !r.find("name")) r.set("name", std::move(name));
      } else {
        detail::normalize_bool(*ext, child_path(path, "external"), nz);
      }
      external = detail::to_bool(*r.find("external")) == true;
    }
    if (!r.find("name")) {
      if (external)
        r.set("name", Node::string(key, r.mark));
      else if (!project.empty())
        r.set("name", Node::string(project + "_" + key, r.mark));
    }
    for (const char* key_name : {"labels", "driver_opts"})
      if (Node* m = r.find(key_name)) *m = detail::string_map(*m, detail::NoValue::Empty, nz);
    for (const char* key_name : {"internal", "attachable", "enable_ipv4", "enable_ipv6"})
      if (Node* b = r.find(key_name)) detail::normalize_bool(*b, child_path(path, key_name), nz);
    if (Node* file = r.find("file"); file && file->is_scalar())
      *file = Node::string(nz.host_path(file->scalar), file->mark);
  }
  detail::sort_keys(section);
}

}  // namespace

Diagnostics normalize(Node& root, const NormalizeContext& ctx) {
  Diagnostics errors;
  if (!root.is_mapping()) return errors;
  Normalizer nz(ctx, errors);
  root.erase("version");
  if (!ctx.project_name.empty()) root.set("name", Node::string(ctx.project_name, root.mark));

  bool uses_default = false;
  if (Node* services = root.find("services"); services && services->is_mapping()) {
    for (std::size_t i = 0; i < services->keys.size(); ++i) {
      Node& service = services->items[i];
      normalize_service(service, child_path("services", services->keys[i].name), nz);
      const Node* nets = service.is_mapping() ? service.find("networks") : nullptr;
      uses_default = uses_default || (nets && nets->is_mapping() && nets->find("default"));
    }
    detail::sort_keys(*services, /*deep=*/false);  // each service is sorted already
  }
  if (uses_default) {
    Node* networks = root.find("networks");
    if (!networks || !networks->is_mapping()) networks = &root.set("networks", Node::mapping());
    if (!networks->find("default")) networks->set("default", Node::null());
  }
  for (const char* kind : {"networks", "volumes", "secrets", "configs"})
    if (Node* section = root.find(kind)) normalize_resources(*section, kind, nz);

  // name, services, networks, volumes, secrets, configs, other keys, then x-* keys.
  static const char* kOrder[] = {"name", "services", "networks", "volumes", "secrets", "configs"};
  Node ordered = Node::mapping(root.mark);
  auto move_key = [&](std::size_t i) {
    ordered.keys.push_back(std::move(root.keys[i]));
    ordered.items.push_back(std::move(root.items[i]));
    root.keys[i].name.clear();
  };
  for (const char* key : kOrder)
    for (std::size_t i = 0; i < root.keys.size(); ++i)
      if (root.keys[i].name == key) move_key(i);
  Node rest = Node::mapping();
  for (std::size_t i = 0; i < root.keys.size(); ++i)
    if (!root.keys[i].name.empty())
      rest.set(root.keys[i].name, std::move(root.items[i]), root.keys[i].mark);
  detail::sort_keys(rest);  // x-* values stay as given
  for (bool extensions : {false, true})
    for (std::size_t i = 0; i < rest.keys.size(); ++i)
      if ((rest.keys[i].name.rfind("x-", 0) == 0) == extensions) {
        ordered.keys.push_back(rest.keys[i]);
        ordered.items.push_back(rest.items[i]);
      }
  root = std::move(ordered);
  return errors;
}

}  // namespace qpod::compose
