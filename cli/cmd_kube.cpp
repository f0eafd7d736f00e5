// qpod kube generate|play|down: the project as Kubernetes YAML (kube/generate.h), and a local
// try of it through `podman kube play/down` (kube/play.h).
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "engine/lock.h"
#include "kube/files.h"
#include "kube/generate.h"
#include "kube/images.h"
#include "kube/play.h"
#include "podman/kube_argv.h"
#include "podman/podman_cli.h"

namespace qpod::cli {
namespace {

struct KubeCli {
  kube::KubeOptions gen;
  kube::KubeRunOptions run;
  std::string output;  // generate -o
};

// Loads, reads the secrets and configs, generates; prints warnings and errors to stderr.
std::optional<kube::Manifest> manifest(Context& ctx, const kube::KubeOptions& opts,
                                       std::optional<compose::Project>& project, bool warn = true) {
  if (!project) project = ctx.load_project();
  if (!project) return std::nullopt;
  std::set<std::string> services(opts.services.begin(), opts.services.end());
  if (services.empty())
    for (const auto& [name, s] : project->services) services.insert(name);
  else if (auto sel = ctx.graph->select_checked(opts.services, true); sel)
    services = *sel;
  auto files = kube::read_file_objects(*project, services);
  if (!files) {
    std::cerr << format(files.errors());
    ctx.exit_code = 1;
    return std::nullopt;
  }
  if (opts.mode == "pod") {  // the argv of images whose services wait in the Pod (pod_gates.h)
    podman::PodmanCli rt;
    files->images = kube::read_image_argv(*project, services, rt);
  }
  auto m = kube::generate(*project, *ctx.graph, *files, opts);
  if (!m) {
    std::cerr << format(m.errors());
    ctx.exit_code = 1;
    return std::nullopt;
  }
  if (warn)
    for (const auto& w : m->warnings) std::cerr << "WARN " << w << "\n";
  return std::move(m).value();
}

int run_generate(Context& ctx, const KubeCli& o) {
  std::optional<compose::Project> project;
  auto m = manifest(ctx, o.gen, project);
  if (!m) return 1;
  if (o.output.empty() || o.output == "-") {
    std::cout << m->yaml;
    return 0;
  }
  // A Secret's data is in the file: only its owner reads it.
  const mode_t old = ::umask(077);
  std::ofstream f(o.output, std::ios::binary | std::ios::trunc);
  ::umask(old);
  f << m->yaml;
  f.close();
  ::chmod(o.output.c_str(), 0600);  // a file that was there keeps its mode otherwise
  if (!f) {
    std::cerr << "cannot write " << o.output << "\n";
    return 1;
  }
  return 0;
}

int run_play(Context& ctx, KubeCli& o, bool up) {
  std::optional<compose::Project> project;
  auto m = manifest(ctx, o.gen, project);
  if (!m) return 1;
  auto lock = engine::ProjectLock::acquire(project->name);
  if (!lock) {
    for (const auto& e : lock.errors()) std::cerr << "Error: " << format(e) << "\n";
    return 1;
  }
  podman::PodmanCli rt;
  if (!up) return kube::down(project->name, *m, rt, o.run, std::cerr);
  // A PVC whose volume exists (kept by `kube down` as by `down`) is left out: podman 4.3's
  // kube play refuses to create a volume that exists.
  bool skipped = false;
  for (const auto& claim : m->claims)
    if (rt.run(podman::volume_exists(claim)).ok()) skipped = o.gen.skip_claims.insert(claim).second;
  if (skipped) {
    m = manifest(ctx, o.gen, project, false);  // the same project: its warnings were printed
    if (!m) return 1;
  }
  return kube::play(project->name, *m, rt, std::cerr);
}

}  // namespace

void add_kube(CLI::App& app, Context& ctx) {
  auto* kube_cmd =
      app.add_subcommand("kube", "Kubernetes YAML of the project, and a local try with podman");
  kube_cmd->require_subcommand(1);
  auto o = std::make_shared<KubeCli>();

  auto* gen = kube_cmd->add_subcommand(
      "generate", "Print the project as Kubernetes YAML (a Pod, its PVCs, Secrets, ConfigMaps)");
  gen->add_option("--mode", o->gen.mode,
                  "pod: one Pod with a container per service; cluster: a Deployment and a Service "
                  "per service")
      ->check(CLI::IsMember({"pod", "cluster"}));
  gen->add_option("-o,--output", o->output,
                  "Write the YAML to this file (mode 0600) instead of stdout");
  gen->add_option("--wait-image", o->gen.wait_image,
                  "cluster: the image of the initContainers that wait for service_healthy "
                  "dependencies (default busybox; needs sh, nc -w -e, sleep)");
  gen->add_option("services", o->gen.services, "Only these services and what they depend on");
  gen->callback([&ctx, o] { ctx.exit_code = run_generate(ctx, *o); });

  auto* play =
      kube_cmd->add_subcommand("play", "Generate the YAML and run it with podman kube play");
  play->add_option("services", o->gen.services, "Only these services and what they depend on");
  play->callback([&ctx, o] { ctx.exit_code = run_play(ctx, *o, true); });

  auto* down = kube_cmd->add_subcommand(
      "down", "podman kube down of the generated YAML, and what podman made beside the Pod");
  down->add_flag("-v,--volumes", o->run.volumes, "Also remove the PersistentVolumeClaims' volumes");
  down->callback([&ctx, o] { ctx.exit_code = run_play(ctx, *o, false); });
}

}  // namespace qpod::cli
