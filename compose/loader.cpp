#include "compose/loader.h"

#include <filesystem>

#include "compose/bind.h"
#include "compose/discover.h"
#include "compose/extends.h"
#include "compose/include.h"
#include "compose/interpolate.h"
#include "compose/limits.h"
#include "compose/merge.h"
#include "compose/normalize.h"
#include "compose/parse.h"
#include "compose/paths.h"
#include "compose/profiles.h"
#include "compose/qpod_environment.h"
#include "compose/schema.h"
#include "compose/template.h"
#include "compose/validate.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

// Runs the stages in order. Warnings of every stage are kept for the project; a stage's
// errors stop the pipeline after that stage (all of its errors are reported).
class Loader {
 public:
  explicit Loader(const LoadOptions& opts) : opts_(opts) {}

  // A template's diagnostics name its keys as written there, not as their Compose form.
  Result<Project> run() {
    auto r = load();
    if (template_path_.empty()) return r;
    if (!r) {
      Diagnostics ds = r.errors();
      for (auto& d : ds) as_written_in_template(d);
      return ds;
    }
    for (auto& w : r->warnings) as_written_in_template(w);
    return r;
  }

 private:
  // "x-qpod.binaries[0]" → "binaries[0]", "services.web.x-qpod.start" → "services.web.start":
  // the template's environment keys sit at its top level, a service's dialect keys in the
  // service itself (template_to_compose moved them).
  void as_written_in_template(Diagnostic& d) const {
    if (d.file != template_path_) return;
    std::string& p = d.path;
    if (p == "x-qpod") {
      p.clear();
    } else if (p.starts_with("x-qpod.") || p.starts_with("x-qpod[")) {
      p.erase(0, p[6] == '.' ? 7 : 6);
    } else if (p.starts_with("services.")) {
      for (std::size_t at = p.find(".x-qpod"); at != std::string::npos;
           at = p.find(".x-qpod", at + 1)) {
        const std::size_t end = at + 7;
        if (end == p.size() || p[end] == '.' || p[end] == '[') {
          p.erase(at, 7);
          break;
        }
      }
    }
  }

  Result<Project> load() {
    LoadOptions input = opts_;
    if (!opts_.template_file.empty()) {  // a QPOD template is the one input file
      input.files = {opts_.template_file};
      if (input.project_directory.empty())
        input.project_directory =
            !opts_.git_root.empty()
                ? opts_.git_root
                : fs::path(opts_.template_file).parent_path().parent_path().string();
    }
    auto disc = discover(input);
    if (!disc) return disc.errors();
    if (!opts_.template_file.empty()) template_path_ = disc->files[0];
    keep(disc->warnings);
    Project project;
    project.working_dir = disc->project_dir;
    project.config_files = disc->files;
    project.profiles = disc->profiles;
    project.environment = disc->env;

    auto merged = merge_files_of(disc->files, disc->project_dir, disc->env);
    if (!merged) return merged.errors();
    Node root = std::move(merged).value();

    auto name = project_name(*disc, root);
    if (!name) return name.errors();
    project.name = *name;
    // As compose-go: the environment (what provider programs run with) names the project chosen.
    project.environment["COMPOSE_PROJECT_NAME"] = project.name;
    if (!keep(normalize_tree(root, project.name, disc->project_dir, disc->env))) return errors_;
    if (!keep(normalize_qpod(root, normalize_context(project.name, disc->project_dir, disc->env),
                             opts_.git_root)))
      return errors_;
    root.set("name", Node::string(project.name));

    Node disabled = Node::mapping();
    keep(apply_profiles(root, disc->profiles, disabled));
    keep(validate_project(root, disabled));
    if (!errors_.empty()) return errors_;
    if (!keep(bind_project(std::move(root), disabled, project))) return errors_;
    if (project.qpod) project.qpod->git_root = opts_.git_root;
    run_services_in_environment(project);
    project.warnings = std::move(warnings_);
    return project;
  }

  // Sorts diagnostics into warnings_ and errors_; false if there were errors.
  bool keep(Diagnostics ds) {
    bool ok = true;
    for (auto& d : ds) {
      if (d.warning) {
        warnings_.push_back(std::move(d));
      } else {
        errors_.push_back(std::move(d));
        ok = false;
      }
    }
    return ok;
  }

  // One file through parse, interpolation and the schema.
  Result<Node> load_file(const std::string& path, const Variables& env) {
    const bool is_template = !template_path_.empty() && path == template_path_;
    auto text = path == kStdinFile && opts_.stdin_text ? Result<std::string>(*opts_.stdin_text)
                                                       : read_text(path);
    if (!text) return text.errors();
    bytes_read_ += text->size();
    if (bytes_read_ > kMaxLoadBytes)
      return Diagnostic{path,
                        0,
                        0,
                        "",
                        "the project's files (includes and extends counted each time they are "
                        "read) are larger than the " +
                            std::string(kMaxLoadText) + " limit",
                        false};
    if (is_template)
      if (auto bad = check_json_template(path, *text); !bad.empty()) return bad;
    auto parsed = parse_yaml(*text, path);
    if (!parsed) return parsed.errors();
    Node root = std::move(parsed).value();
    if (is_template) {
      auto converted = template_to_compose(root);
      if (!converted) return converted.errors();
      root = std::move(converted).value();
    }
    Diagnostics errors;
    if (opts_.interpolate) {
      for (auto& d : interpolate(root, env)) (d.warning ? warnings_ : errors).push_back(d);
      if (!errors.empty()) return errors;
    }
    errors = validate_schema(root);
    if (!errors.empty()) return errors;
    return root;
  }

  // One file with its includes and extends resolved.
  Result<Node> load_one(const std::string& path, const std::string& project_dir,
                        const Variables& env) {
    auto file = load_file(path, env);
    if (!file) return file.errors();
    Node root = std::move(file).value();
    Diagnostics errors = resolve_includes(
        root, project_dir, [&](const IncludeRequest& req) { return load_included(req, env); });
    // Relative `extends: file:` from the file's folder; stdin's is the project's.
    const std::string dir =
        path == kStdinFile ? project_dir : fs::path(path).parent_path().string();
    for (auto& d : resolve_extends(root, dir,
                                   [&](const std::string& other) { return load_file(other, env); }))
      errors.push_back(std::move(d));
    if (has_errors(errors)) return errors;
    return root;
  }

  // An included project: its own env files and project directory; its resources are named
  // by the including project, so it is normalized without a name.
  Result<Node> load_included(const IncludeRequest& req, const Variables& env) {
    Variables sub_env = env;
    for (const auto& f : req.env_files) {
      auto e = read_dotenv(f, sub_env);
      if (!e) return e.errors();
      for (auto& [k, v] : *e) sub_env.try_emplace(k, v);
    }
    auto sub = merge_files_of(req.files, req.project_directory, sub_env);
    if (!sub) return sub.errors();
    Node root = std::move(sub).value();
    root.erase("name");
    Diagnostics errors = normalize_tree(root, "", req.project_directory, sub_env);
    if (has_errors(errors)) return errors;
    return root;
  }

  // The files of one project, each loaded, then merged in order.
  Result<Node> merge_files_of(const std::vector<std::string>& files, const std::string& project_dir,
                              const Variables& env) {
    Diagnostics errors;
    std::optional<Node> merged;
    for (const auto& path : files) {
      auto one = load_one(path, project_dir, env);
      if (!one) {
        errors.insert(errors.end(), one.errors().begin(), one.errors().end());
        continue;
      }
      if (!merged) {
        merged = std::move(one).value();
        continue;
      }
      auto m = merge_files(std::move(*merged), *one);
      if (!m) return m.errors();
      merged = std::move(m).value();
    }
    if (!errors.empty() || !merged) return errors;
    strip_reset_tags(*merged);
    return std::move(*merged);
  }

  NormalizeContext normalize_context(const std::string& name, const std::string& project_dir,
                                     const Variables& env) const {
    NormalizeContext ctx;
    ctx.project_name = name;
    ctx.project_dir = project_dir;
    ctx.env = &env;
    ctx.resolve_paths = opts_.resolve_paths;
    return ctx;
  }

  Diagnostics normalize_tree(Node& root, const std::string& name, const std::string& project_dir,
                             const Variables& env) {
    return normalize(root, normalize_context(name, project_dir, env));
  }

  // As docker compose: -p, then COMPOSE_PROJECT_NAME, then `name:`, then the folder's name.
  // A name the user chose must already be valid; a folder's name is normalized.
  Result<std::string> project_name(const Discovered& d, const Node& root) {
    auto chosen = [&](const std::string& value, Diagnostic where) -> Result<std::string> {
      if (normalize_project_name(value) == value && !value.empty()) return value;
      where.message = "invalid project name \"" + value +
                      "\": use lower-case letters, digits, '-' and '_', starting with a letter or "
                      "digit";
      return where;
    };
    if (!opts_.project_name.empty())
      return chosen(opts_.project_name, Diagnostic{{}, 0, 0, "-p", "", false});
    if (auto it = d.env.find("COMPOSE_PROJECT_NAME"); it != d.env.end() && !it->second.empty())
      return chosen(it->second, Diagnostic{{}, 0, 0, "COMPOSE_PROJECT_NAME", "", false});
    if (const Node* n = root.find("name"); n && n->is_scalar() && !n->scalar.empty())
      return chosen(n->scalar, error_at(*n, "name", ""));
    if (!opts_.default_name.empty()) return opts_.default_name;
    std::string name = normalize_project_name(fs::path(d.project_dir).filename().string());
    if (name.empty())
      return Diagnostic{{},
                        0,
                        0,
                        "",
                        "cannot derive a project name from the folder \"" + d.project_dir +
                            "\": set -p or `name:`"};
    return name;
  }

  const LoadOptions& opts_;
  std::string template_path_;  // the discovered template file, when the input is a template
  Diagnostics warnings_, errors_;
  std::size_t bytes_read_ = 0;  // by load_file, against kMaxLoadBytes
};

}  // namespace

Result<Project> load_project(const LoadOptions& opts) { return Loader(opts).run(); }

}  // namespace qpod::compose
