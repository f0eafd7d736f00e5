// The QPOD dialect into the model: the top-level x-qpod (QpodEnvironment), each service's x-qpod
// (QpodService) and Compose's develop.watch (WatchRule). The tree is normalized and has passed
// the dialect schema, so shapes are checked again only to never read a wrong one silently.
#include <set>
#include <string_view>

#include "compose/bind.h"

namespace qpod::compose {
namespace {

class QpodReader {
 public:
  explicit QpodReader(Diagnostics& errors) : errors_(errors) {}

  void error(const Node& n, const std::string& path, std::string message) {
    errors_.push_back(error_at(n, path, std::move(message)));
  }
  void expected(const Node& n, const std::string& path, std::string_view what) {
    error(n, path, "expected " + std::string(what) + ", not " + describe(n));
  }
  void string(const Node& m, std::string_view key, const std::string& path, std::string& out) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return;
    if (v->is_scalar())
      out = v->scalar;
    else
      expected(*v, child_path(path, key), "a string");
  }
  void strings(const Node& m, std::string_view key, const std::string& path,
               std::vector<std::string>& out) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return;
    const std::string p = child_path(path, key);
    if (!v->is_sequence()) return expected(*v, p, "a list of strings");
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (v->items[i].is_scalar())
        out.push_back(v->items[i].scalar);
      else
        expected(v->items[i], index_path(p, i), "a string");
    }
  }
  // A mapping of strings where a key may have no value (null).
  void optional_strings(const Node& m, std::string_view key, const std::string& path,
                        std::map<std::string, std::optional<std::string>>& out) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return;
    const std::string p = child_path(path, key);
    if (!v->is_mapping()) return expected(*v, p, "a mapping");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Node& item = v->items[i];
      if (item.is_null())
        out[v->keys[i].name] = std::nullopt;
      else if (item.is_scalar())
        out[v->keys[i].name] = item.scalar;
      else
        expected(item, child_path(p, v->keys[i].name), "a string");
    }
  }
  void boolean(const Node& m, std::string_view key, const std::string& path, bool& out) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return;
    if (auto b = v->as_bool())
      out = *b;
    else
      expected(*v, child_path(path, key), "a boolean");
  }
  // Calls each(item, path) for every mapping of the list under `key`.
  template <class F>
  void mappings(const Node& m, std::string_view key, const std::string& path, F&& each) {
    const Node* v = m.find(key);
    if (!v || v->is_null()) return;
    const std::string p = child_path(path, key);
    if (!v->is_sequence()) return expected(*v, p, "a list");
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (v->items[i].is_mapping())
        each(v->items[i], index_path(p, i));
      else
        expected(v->items[i], index_path(p, i), "a mapping");
    }
  }

 private:
  Diagnostics& errors_;
};

// x-qpod.ports and x-qpod.build have a service's syntax: bind_service reads them, and its paths
// ("services.x-qpod.ports[0]") are renamed to where they are ("x-qpod.ports[0]").
void bind_service_syntax(const Node& env, QpodEnvironment& out, Diagnostics& errors) {
  Node as_service = Node::mapping(env.mark);
  for (const char* key : {"ports", "build"})
    if (const Node* v = env.find(key)) as_service.set(key, *v, env.find_key(key)->mark);
  if (as_service.size() == 0) return;
  auto s = bind_service("x-qpod", as_service);
  if (!s) {
    const std::string prefix = "services.x-qpod";
    for (Diagnostic d : s.errors()) {
      if (d.path.starts_with(prefix)) d.path = "x-qpod" + d.path.substr(prefix.size());
      errors.push_back(std::move(d));
    }
    return;
  }
  out.ports = std::move(s->ports);
  out.build = std::move(s->build);
}

void bind_environment(QpodReader& r, const Node& env, Project& project, Diagnostics& errors) {
  const std::string path = "x-qpod";
  QpodEnvironment q;
  r.string(env, "name", path, q.name);
  r.string(env, "image", path, q.image);
  if (const Node* vars = env.find("env"); vars && !vars->is_null()) {
    if (!vars->is_mapping()) {
      r.expected(*vars, "x-qpod.env", "a mapping of strings");
    } else {
      for (std::size_t i = 0; i < vars->size(); ++i) {
        if (vars->items[i].is_scalar())
          q.env[vars->keys[i].name] = vars->items[i].scalar;
        else if (!vars->items[i].is_null())
          r.expected(vars->items[i], child_path("x-qpod.env", vars->keys[i].name), "a string");
      }
    }
  }
  r.mappings(env, "mounts", path, [&](const Node& m, const std::string& p) {
    QpodMount mount;
    r.string(m, "source", p, mount.source);
    r.string(m, "target", p, mount.target);
    r.boolean(m, "readonly", p, mount.readonly);
    if (mount.source.empty()) r.error(m, p, "a mount needs a non-empty \"source\" (a host path)");
    q.mounts.push_back(std::move(mount));
  });
  std::set<std::string> names;
  r.mappings(env, "binaries", path, [&](const Node& b, const std::string& p) {
    QpodBinary binary;
    r.string(b, "name", p, binary.name);
    r.strings(b, "services", p, binary.services);
    r.strings(b, "runArgs", p, binary.run_args);
    const Node* name = b.find("name");
    if (binary.name.empty() || binary.name.find('/') != std::string::npos || binary.name == "." ||
        binary.name == ".." || binary.name == "qpod")
      r.error(name ? *name : b, child_path(p, "name"),
              "invalid binary name \"" + binary.name +
                  "\": expected a command name without '/' (and not qpod itself)");
    else if (!names.insert(binary.name).second)
      r.error(*name, child_path(p, "name"), "binary \"" + binary.name + "\" is declared twice");
    const Node* services = b.find("services");
    for (std::size_t i = 0; i < binary.services.size(); ++i) {
      const std::string& s = binary.services[i];
      if (project.services.count(s) == 0 && project.disabled_services.count(s) == 0)
        r.error(services->items[i], index_path(child_path(p, "services"), i),
                "binary \"" + binary.name + "\" needs service \"" + s +
                    "\", which is not a service of the project");
    }
    q.binaries.push_back(std::move(binary));
  });
  r.strings(env, "defaultRunArgs", path, q.default_run_args);
  bind_service_syntax(env, q, errors);
  project.qpod = std::move(q);
}

// A service_hook: post_start, pre_stop, develop.watch exec.
ServiceHook read_hook(QpodReader& r, const Node& h, const std::string& p) {
  ServiceHook hook;
  r.strings(h, "command", p, hook.command);
  r.string(h, "user", p, hook.user);
  r.string(h, "working_dir", p, hook.working_dir);
  r.boolean(h, "privileged", p, hook.privileged);
  r.optional_strings(h, "environment", p, hook.environment);
  return hook;
}

void bind_service_dialect(QpodReader& r, Service& s) {
  if (!s.node.is_mapping()) return;
  const std::string path = child_path("services", s.name);
  if (const Node* x = s.node.find("x-qpod"); x && !x->is_null()) {
    const std::string p = child_path(path, "x-qpod");
    if (!x->is_mapping()) {
      r.expected(*x, p, "a mapping with start and watch");
    } else {
      QpodService q;
      r.string(*x, "start", p, q.start);
      if (q.start != "auto" && q.start != "binary" && q.start != "manual")
        r.error(*x->find("start"), child_path(p, "start"),
                "invalid start \"" + q.start + "\": expected auto, binary or manual");
      r.strings(*x, "watch", p, q.watch);
      s.qpod = std::move(q);
    }
  }
  const std::pair<const char*, std::vector<ServiceHook>*> lifecycle[] = {
      {"post_start", &s.post_start}, {"pre_stop", &s.pre_stop}};
  for (const auto& [key, hooks] : lifecycle)
    r.mappings(s.node, key, path, [&, hooks = hooks](const Node& h, const std::string& p) {
      hooks->push_back(read_hook(r, h, p));
      if (hooks->back().command.empty()) r.error(h, p, "a hook needs a command to run");
    });
  const Node* develop = s.node.find("develop");
  if (!develop || !develop->is_mapping()) return;
  r.mappings(*develop, "watch", child_path(path, "develop"),
             [&](const Node& w, const std::string& p) {
               WatchRule rule;
               r.string(w, "action", p, rule.action);
               r.string(w, "path", p, rule.path);
               r.string(w, "target", p, rule.target);
               r.strings(w, "ignore", p, rule.ignore);
               r.strings(w, "include", p, rule.include);
               r.boolean(w, "initial_sync", p, rule.initial_sync);
               if (const Node* e = w.find("exec"); e && e->is_mapping())
                 rule.exec = read_hook(r, *e, child_path(p, "exec"));
               if (rule.action == "sync+exec" && (!rule.exec || rule.exec->command.empty()))
                 r.error(w, p, "action sync+exec needs `exec` with a command to run");
               s.develop_watch.push_back(std::move(rule));
             });
}

}  // namespace

Diagnostics bind_qpod(Project& project) {
  Diagnostics errors;
  QpodReader r(errors);
  for (auto* group : {&project.services, &project.disabled_services})
    for (auto& [name, s] : *group) bind_service_dialect(r, s);
  const Node* env = project.node.is_mapping() ? project.node.find("x-qpod") : nullptr;
  if (env && !env->is_null()) {
    if (env->is_mapping())
      bind_environment(r, *env, project, errors);
    else
      r.expected(*env, "x-qpod", "a mapping (the environment template)");
  }
  return errors;
}

std::string environment_image(const Project& project) {
  if (!project.qpod) return "";
  if (!project.qpod->image.empty()) return project.qpod->image;
  if (project.qpod->build && !project.qpod->build->tags.empty())
    return project.qpod->build->tags.front();
  return "localhost/" + project.name + "-env";
}

}  // namespace qpod::compose
