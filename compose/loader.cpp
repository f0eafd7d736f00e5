#include "compose/loader.h"

#include <filesystem>

#include "compose/bind.h"
#include "compose/discover.h"
#include "compose/extends.h"
#include "compose/include.h"
#include "compose/interpolate.h"
#include "compose/merge.h"
#include "compose/normalize.h"
#include "compose/parse.h"
#include "compose/profiles.h"
#include "compose/schema.h"
#include "compose/validate.h"

namespace fs = std::filesystem;

namespace qpod::compose {
namespace {

void append(Diagnostics& to, Diagnostics from) {
  for (auto& d : from) to.push_back(std::move(d));
}

// One file through parse, interpolation and the schema.
Result<Node> load_file(const std::string& path, const Environment& env, bool do_interpolate) {
  auto parsed = parse_file(path);
  if (!parsed) return parsed.errors();
  Node root = std::move(parsed).value();
  Diagnostics errors;
  if (do_interpolate) append(errors, interpolate(root, env));
  if (has_errors(errors)) return errors;
  append(errors, validate_schema(root));
  if (has_errors(errors)) return errors;
  return root;
}

struct TreeResult {
  Node root;
  std::string name;  // top-level `name:` of the merged files, if any
};

// Files of one project to one merged, include- and extends-resolved, normalized tree.
Result<TreeResult> load_tree(const std::vector<std::string>& files, const std::string& project_dir,
                             const Environment& env, const LoadOptions& opts,
                             const std::string& project_name);

Result<Node> load_one(const std::string& path, const std::string& project_dir,
                      const Environment& env, const LoadOptions& opts) {
  auto file = load_file(path, env, opts.interpolate);
  if (!file) return file.errors();
  Node root = std::move(file).value();
  Diagnostics errors;
  const std::string dir = fs::path(path).parent_path().string();
  append(errors, resolve_includes(root, project_dir, [&](const IncludeRequest& req) -> Result<Node> {
    Environment sub_env = env;
    for (const auto& f : req.env_files) {
      auto e = read_dotenv(f, sub_env);
      if (!e) return e.errors();
      for (auto& [k, v] : *e) sub_env.try_emplace(k, v);
    }
    auto sub = load_tree(req.files, req.project_directory, sub_env, opts, "");
    if (!sub) return sub.errors();
    return std::move(sub->root);
  }));
  append(errors, resolve_extends(root, dir, [&](const std::string& other) {
    return load_file(other, env, opts.interpolate);
  }));
  if (has_errors(errors)) return errors;
  return root;
}

Result<TreeResult> load_tree(const std::vector<std::string>& files, const std::string& project_dir,
                             const Environment& env, const LoadOptions& opts,
                             const std::string& project_name) {
  Diagnostics errors;
  std::optional<Node> merged;
  for (const auto& path : files) {
    auto one = load_one(path, project_dir, env, opts);
    if (!one) {
      append(errors, one.errors());
      continue;
    }
    if (!merged) {
      merged = std::move(one).value();
      continue;
    }
    auto m = merge_files(std::move(*merged), *one);
    if (!m) {
      append(errors, m.errors());
      merged.reset();
      break;
    }
    merged = std::move(m).value();
  }
  if (has_errors(errors) || !merged) return errors;
  strip_reset_tags(*merged);
  TreeResult out;
  if (const Node* n = merged->find("name"); n && n->is_scalar()) out.name = n->scalar;
  NormalizeContext ctx;
  ctx.project_name = project_name.empty() ? normalize_project_name(out.name) : project_name;
  ctx.project_dir = project_dir;
  ctx.env = &env;
  ctx.resolve_paths = opts.resolve_paths;
  append(errors, normalize(*merged, ctx));
  if (has_errors(errors)) return errors;
  out.root = std::move(*merged);
  return out;
}

std::string pick_project_name(const LoadOptions& opts, const Discovered& d,
                              const std::vector<std::string>& files) {
  if (!opts.project_name.empty()) return normalize_project_name(opts.project_name);
  if (auto it = d.env.find("COMPOSE_PROJECT_NAME"); it != d.env.end() && !it->second.empty())
    return normalize_project_name(it->second);
  // Top-level `name:` of the files, last one wins (read before interpolation is fine here:
  // load_tree passes the interpolated one on).
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    auto parsed = parse_file(*it);
    if (!parsed) continue;
    if (const Node* n = parsed->find("name"); n && n->is_scalar()) {
      if (auto s = interpolate_string(n->scalar, d.env, n->mark, "name"))
        return normalize_project_name(*s);
    }
  }
  return normalize_project_name(fs::path(d.project_dir).filename().string());
}

}  // namespace

Result<Project> load_project(const LoadOptions& opts) {
  auto disc = discover(opts);
  if (!disc) return disc.errors();
  Project project;
  project.working_dir = disc->project_dir;
  project.config_files = disc->files;
  project.profiles = disc->profiles;
  project.name = pick_project_name(opts, *disc, disc->files);
  if (project.name.empty())
    return Diagnostic{"", 0, 0, "name",
                      "project name is empty: set -p, COMPOSE_PROJECT_NAME or `name:`", false};

  auto tree = load_tree(disc->files, disc->project_dir, disc->env, opts, project.name);
  if (!tree) return tree.errors();
  Node root = std::move(tree->root);
  root.set("name", Node::string(project.name));

  Diagnostics errors;
  Node disabled = Node::mapping();
  append(errors, apply_profiles(root, disc->profiles, disabled));
  append(errors, validate_project(root, disabled));
  if (has_errors(errors)) return errors;
  append(errors, bind_project(root, disabled, project));
  if (has_errors(errors)) return errors;
  return project;
}

}  // namespace qpod::compose
