#include "env/route.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "base/hash.h"
#include "compose/bind.h"
#include "compose/qpod_environment.h"
#include "env/git_root.h"
#include "podman/labels.h"

namespace fs = std::filesystem;

namespace qpod::env {
namespace {

std::string base_name(const std::string& argv0) {
  const auto slash = argv0.rfind('/');
  return slash == std::string::npos ? argv0 : argv0.substr(slash + 1);
}

std::string normal(const fs::path& p) {
  fs::path n = p.lexically_normal();
  if (n.filename().empty() && n != n.root_path()) n = n.parent_path();
  return n.string();
}

std::string user_spec(const RunContext& ctx) {
  return std::to_string(ctx.uid) + ":" + std::to_string(ctx.gid);
}

std::string workdir(const RunContext& ctx, const std::string& root) {
  return is_inside(ctx.cwd, root) ? ctx.cwd : root;
}

std::optional<Diagnostic> check_environment(const compose::QpodEnvironment& env) {
  if (env.git_root.empty())
    return Diagnostic{"", 0, 0, "x-qpod",
                      "the environment has no git repository: run qpod inside one"};
  if (env.image.empty() && !env.build)
    return Diagnostic{"", 0, 0, "x-qpod", "the environment has neither image nor build"};
  return std::nullopt;
}

// The user, then what every container of the environment mounts (its services too):
// compose::environment_mounts.
void add_user_and_mounts(std::vector<std::string>& out, const compose::QpodEnvironment& env,
                         const RunContext& ctx) {
  if (ctx.rootless)
    out.push_back("--userns=keep-id");
  else
    out.insert(out.end(), {"--user", user_spec(ctx)});
  for (const auto& m : compose::environment_mounts(env))
    out.insert(out.end(), {"--volume", m.source + ":" + m.target + (m.read_only ? ":ro" : "")});
}

void add_env_and_defaults(std::vector<std::string>& out, const compose::QpodEnvironment& env) {
  for (const auto& [k, v] : env.env) out.insert(out.end(), {"--env", k + "=" + v});
  out.insert(out.end(), env.default_run_args.begin(), env.default_run_args.end());
}

// argv[0] as its absolute path when it lies in the repository (same path in the container).
std::string program_in_container(const Decision& d, const std::string& root,
                                 const std::string& argv0) {
  const bool in_repo = !d.program.empty() && is_inside(d.program, root);
  return in_repo ? d.program : argv0;
}

}  // namespace

Decision route(const compose::QpodEnvironment* env, const RouteInput& in) {
  Decision d;
  d.program = in.program;
  if (!env) {
    d.reason = "not in a QPOD environment";
    return d;
  }
  const std::string name = base_name(in.argv0);
  for (const auto& b : env->binaries)
    if (b.name == name) d.binary = b;
  if (in.force_container) {
    d.where = Where::kContainer;
    d.reason = "QPOD_CONTAINER=1";
  } else if (d.binary) {
    d.where = Where::kContainer;
    d.reason = "\"" + name + "\" is listed in x-qpod.binaries";
  } else if (!in.program.empty() && is_inside(in.program, in.git_root)) {
    d.where = Where::kContainer;
    d.reason = in.program + " is inside the environment (" + in.git_root + ")";
  } else {
    d.reason = in.program.empty() ? "\"" + name + "\" is not an environment binary"
                                  : in.program + " is outside the environment";
  }
  return d;
}

bool is_executable_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

std::string resolve_program(const std::string& argv0, const std::string& path_var,
                            const std::string& cwd, const std::string& skip_dir) {
  if (argv0.empty()) return "";
  if (argv0.find('/') != std::string::npos) return normal(fs::path(cwd) / argv0);
  const std::string skip = skip_dir.empty() ? "" : normal(skip_dir);
  std::size_t start = 0;
  while (start <= path_var.size()) {
    std::size_t end = path_var.find(':', start);
    if (end == std::string::npos) end = path_var.size();
    std::string dir = path_var.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) dir = ".";  // an empty PATH entry is the current folder
    const std::string abs_dir = normal(fs::path(cwd) / dir);
    if (!skip.empty() && abs_dir == skip) continue;
    const fs::path candidate = fs::path(abs_dir) / argv0;
    if (is_executable_file(candidate.string())) return candidate.string();
  }
  return "";
}

std::optional<compose::Project> environment_build(const compose::Project& project) {
  if (!project.qpod || !project.qpod->build) return std::nullopt;
  compose::Project out;
  out.name = project.name;
  out.working_dir = project.working_dir;
  compose::Service s;
  s.name = env_container_name(project);
  s.image = compose::environment_image(project);
  s.build = project.qpod->build;
  out.services.emplace(s.name, std::move(s));
  return out;
}

Result<std::vector<std::string>> container_argv(const compose::Project& project,
                                                const Decision& decision, const RunContext& ctx,
                                                const std::vector<std::string>& argv) {
  if (!project.qpod)
    return Diagnostic{"", 0, 0, "x-qpod", "the project has no QPOD environment (x-qpod)"};
  if (argv.empty()) return Diagnostic{"", 0, 0, "", "no command to run"};
  const compose::QpodEnvironment& env = *project.qpod;
  const std::string& root = env.git_root;
  if (auto bad = check_environment(env)) return *bad;

  std::vector<std::string> out = {"podman", "run", "--rm", "-i"};
  if (ctx.stdin_tty) out.push_back("-t");
  out.insert(out.end(), {"--init", "--pod", project.name});
  add_user_and_mounts(out, env, ctx);
  out.insert(out.end(), {"--workdir", workdir(ctx, root)});
  add_env_and_defaults(out, env);
  if (decision.binary)
    out.insert(out.end(), decision.binary->run_args.begin(), decision.binary->run_args.end());
  out.push_back(compose::environment_image(project));
  out.push_back(program_in_container(decision, root, argv[0]));
  out.insert(out.end(), argv.begin() + 1, argv.end());
  return out;
}

// ---- the kept-running environment container (exec/run) -----------------------------------

std::string env_container_name(const compose::Project& project) { return project.name + "-env"; }

bool can_exec(const Decision& decision) {
  return !decision.binary || decision.binary->run_args.empty();
}

std::string env_container_hash(const std::vector<std::string>& create_argv) {
  std::string text;
  for (std::size_t i = 0; i < create_argv.size(); ++i) {
    text += create_argv[i];
    text += '\0';
  }
  return fnv1a_hex(text);
}

Result<std::vector<std::string>> env_container_create(const compose::Project& project,
                                                      const RunContext& ctx) {
  if (!project.qpod)
    return Diagnostic{"", 0, 0, "x-qpod", "the project has no QPOD environment (x-qpod)"};
  const compose::QpodEnvironment& env = *project.qpod;
  if (auto bad = check_environment(env)) return *bad;
  namespace labels = podman::labels;
  std::vector<std::string> out = {
      "podman", "run",        "--detach", "--name", env_container_name(project),
      "--pod",  project.name, "--init"};
  for (const auto& [k, v] : std::vector<std::pair<const char*, std::string>>{
           {labels::kProject, project.name},
           {labels::kComposeProject, project.name},
           {labels::kService, env_container_name(project)},
           {labels::kOneoff, "True"},
           {labels::kComposeOneoff, "True"}})
    out.insert(out.end(), {"--label", std::string(k) + "=" + v});
  add_user_and_mounts(out, env, ctx);
  add_env_and_defaults(out, env);
  // Whatever the image's entrypoint, the container only waits: podman's init (catatonit) in
  // pause mode, under the init that --init adds and that reaps what `podman exec` leaves.
  out.insert(out.end(),
             {"--entrypoint", "/run/podman-init", compose::environment_image(project), "-P"});
  const std::string hash = env_container_hash(out);
  out.insert(out.begin() + 8, {"--label", std::string(labels::kConfigHash) + "=" + hash});
  return out;
}

std::vector<std::string> env_exec_argv(const compose::Project& project, const Decision& decision,
                                       const RunContext& ctx, const std::vector<std::string>& argv,
                                       const std::string& marker) {
  const std::string& root = project.qpod->git_root;
  std::vector<std::string> out = {"podman", "exec", "-i"};
  if (ctx.stdin_tty) out.push_back("-t");
  if (!ctx.rootless) out.insert(out.end(), {"--user", user_spec(ctx)});
  out.insert(out.end(), {"--workdir", workdir(ctx, root)});
  if (!marker.empty()) out.insert(out.end(), {"--env", marker});
  out.push_back(env_container_name(project));
  out.push_back(program_in_container(decision, root, argv[0]));
  out.insert(out.end(), argv.begin() + 1, argv.end());
  return out;
}

}  // namespace qpod::env
