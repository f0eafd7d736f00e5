#include "env/route.h"

#include <unistd.h>

#include <filesystem>

#include "env/git_root.h"

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
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return "";
}

std::string environment_image(const compose::Project& project) {
  if (project.qpod && !project.qpod->image.empty()) return project.qpod->image;
  if (project.qpod && project.qpod->build && !project.qpod->build->tags.empty())
    return project.qpod->build->tags.front();
  return "localhost/" + project.name + "-env";
}

Result<std::vector<std::string>> container_argv(const compose::Project& project,
                                                const Decision& decision, const RunContext& ctx,
                                                const std::vector<std::string>& argv) {
  if (!project.qpod)
    return Diagnostic{"", 0, 0, "x-qpod", "the project has no QPOD environment (x-qpod)"};
  if (argv.empty()) return Diagnostic{"", 0, 0, "", "no command to run"};
  const compose::QpodEnvironment& env = *project.qpod;
  const std::string& root = env.git_root;
  if (root.empty())
    return Diagnostic{"", 0, 0, "x-qpod",
                      "the environment has no git repository: run qpod inside one"};
  if (env.image.empty() && !env.build)
    return Diagnostic{"", 0, 0, "x-qpod", "the environment has neither image nor build"};

  std::vector<std::string> out = {"podman", "run", "--rm", "-i"};
  if (ctx.stdin_tty) out.push_back("-t");
  out.insert(out.end(), {"--init", "--pod", project.name});
  if (ctx.rootless)
    out.push_back("--userns=keep-id");
  else
    out.insert(out.end(), {"--user", std::to_string(ctx.uid) + ":" + std::to_string(ctx.gid)});
  out.insert(out.end(), {"--volume", root + ":" + root, "--volume", root + ":/qpod"});
  for (const auto& m : env.mounts)
    out.insert(out.end(), {"--volume", m.source + ":" + (m.target.empty() ? m.source : m.target) +
                                           (m.readonly ? ":ro" : "")});
  out.insert(out.end(), {"--workdir", is_inside(ctx.cwd, root) ? ctx.cwd : root});
  for (const auto& [k, v] : env.env) out.insert(out.end(), {"--env", k + "=" + v});
  out.insert(out.end(), env.default_run_args.begin(), env.default_run_args.end());
  if (decision.binary)
    out.insert(out.end(), decision.binary->run_args.begin(), decision.binary->run_args.end());
  out.push_back(environment_image(project));
  const bool in_repo = !decision.program.empty() && is_inside(decision.program, root);
  out.push_back(in_repo ? decision.program : argv[0]);
  out.insert(out.end(), argv.begin() + 1, argv.end());
  return out;
}

}  // namespace qpod::env
