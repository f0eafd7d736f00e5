#include "podman/env_argv.h"

#include "base/hash.h"
#include "compose/bind.h"
#include "compose/qpod_environment.h"
#include "podman/labels.h"

namespace qpod::podman {
namespace {

// The user, then what every container of the environment mounts (its services too):
// compose::environment_mounts.
void add_user_and_mounts(Argv& out, const compose::QpodEnvironment& env, const EnvRunner& who) {
  if (who.rootless)
    out.push_back("--userns=keep-id");
  else
    out.insert(out.end(), {"--user", std::to_string(who.uid) + ":" + std::to_string(who.gid)});
  for (const auto& m : compose::environment_mounts(env))
    out.insert(out.end(), {"--volume", m.source + ":" + m.target + (m.read_only ? ":ro" : "")});
}

void add_env_and_defaults(Argv& out, const compose::QpodEnvironment& env) {
  for (const auto& [k, v] : env.env) out.insert(out.end(), {"--env", k + "=" + v});
  out.insert(out.end(), env.default_run_args.begin(), env.default_run_args.end());
}

void add_command(Argv& out, const EnvCommand& cmd) {
  out.push_back(cmd.program);
  out.insert(out.end(), cmd.args.begin(), cmd.args.end());
}

}  // namespace

std::string env_container_name(const compose::Project& project) { return project.name + "-env"; }

Argv env_run_rm(const compose::Project& project, const EnvRunner& who, const EnvCommand& cmd) {
  const compose::QpodEnvironment& env = *project.qpod;
  Argv out = {"run", "--rm", "-i"};
  if (who.stdin_tty) out.push_back("-t");
  out.insert(out.end(), {"--init", "--pod", project.name});
  add_user_and_mounts(out, env, who);
  out.insert(out.end(), {"--workdir", who.workdir});
  add_env_and_defaults(out, env);
  if (cmd.binary) out.insert(out.end(), cmd.binary->run_args.begin(), cmd.binary->run_args.end());
  out.push_back(compose::environment_image(project));
  add_command(out, cmd);
  return out;
}

std::string env_container_hash(const Argv& create_argv) {
  std::string text;
  for (const auto& a : create_argv) {
    text += a;
    text += '\0';
  }
  return fnv1a_hex(text);
}

Argv env_container_create(const compose::Project& project, const EnvRunner& who) {
  const compose::QpodEnvironment& env = *project.qpod;
  Argv out = {"run",   "--detach",   "--name", env_container_name(project),
              "--pod", project.name, "--init"};
  const std::size_t labels_at = out.size();
  for (const auto& [k, v] : std::vector<std::pair<const char*, std::string>>{
           {labels::kProject, project.name},
           {labels::kComposeProject, project.name},
           {labels::kService, env_container_name(project)},
           {labels::kOneoff, "True"},
           {labels::kComposeOneoff, "True"}})
    out.insert(out.end(), {"--label", std::string(k) + "=" + v});
  add_user_and_mounts(out, env, who);
  add_env_and_defaults(out, env);
  // Whatever the image's entrypoint, the container only waits: podman's init (catatonit) in
  // pause mode, under the init that --init adds and that reaps what `podman exec` leaves.
  out.insert(out.end(),
             {"--entrypoint", "/run/podman-init", compose::environment_image(project), "-P"});
  const std::string hash = env_container_hash(out);
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(labels_at),
             {"--label", std::string(labels::kConfigHash) + "=" + hash});
  return out;
}

Argv env_exec(const compose::Project& project, const EnvRunner& who, const EnvCommand& cmd,
              const std::string& marker) {
  Argv out = {"exec", "-i"};
  if (who.stdin_tty) out.push_back("-t");
  if (!who.rootless)
    out.insert(out.end(), {"--user", std::to_string(who.uid) + ":" + std::to_string(who.gid)});
  out.insert(out.end(), {"--workdir", who.workdir});
  if (!marker.empty()) out.insert(out.end(), {"--env", marker});
  out.push_back(env_container_name(project));
  add_command(out, cmd);
  return out;
}

Argv container_conmon_pids(const std::vector<std::string>& names) {
  Argv out = {"container", "inspect", "--format", "{{.State.ConmonPid}} {{.Id}}"};
  out.insert(out.end(), names.begin(), names.end());
  return out;
}

}  // namespace qpod::podman
