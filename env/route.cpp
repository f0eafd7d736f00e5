#include "env/route.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "compose/bind.h"
#include "compose/qpod_environment.h"
#include "env/git_root.h"
#include "podman/env_argv.h"

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

// argv[0] as its absolute path when it lies in the repository (same path in the container).
std::string program_in_container(const Decision& d, const std::string& root,
                                 const std::string& argv0) {
  const bool in_repo = !d.program.empty() && is_inside(d.program, root);
  return in_repo ? d.program : argv0;
}

podman::EnvRunner runner(const RunContext& ctx, const std::string& root) {
  return {workdir(ctx, root), ctx.stdin_tty, ctx.rootless, ctx.uid, ctx.gid};
}

podman::EnvCommand command(const Decision& d, const std::string& root,
                           const std::vector<std::string>& argv) {
  return {d.binary ? &*d.binary : nullptr, program_in_container(d, root, argv[0]),
          std::vector<std::string>(argv.begin() + 1, argv.end())};
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
  if (auto bad = check_environment(env)) return *bad;
  return podman::env_run_rm(project, runner(ctx, env.git_root),
                            command(decision, env.git_root, argv));
}

// ---- the kept-running environment container (exec/run) -----------------------------------

std::string env_container_name(const compose::Project& project) {
  return podman::env_container_name(project);
}

bool can_exec(const Decision& decision) {
  return !decision.binary || decision.binary->run_args.empty();
}

Result<std::vector<std::string>> env_container_create(const compose::Project& project,
                                                      const RunContext& ctx) {
  if (!project.qpod)
    return Diagnostic{"", 0, 0, "x-qpod", "the project has no QPOD environment (x-qpod)"};
  const compose::QpodEnvironment& env = *project.qpod;
  if (auto bad = check_environment(env)) return *bad;
  return podman::env_container_create(project, runner(ctx, env.git_root));
}

std::vector<std::string> env_exec_argv(const compose::Project& project, const Decision& decision,
                                       const RunContext& ctx, const std::vector<std::string>& argv,
                                       const std::string& marker) {
  const std::string& root = project.qpod->git_root;
  return podman::env_exec(project, runner(ctx, root), command(decision, root, argv), marker);
}

}  // namespace qpod::env
