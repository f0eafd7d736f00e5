#include "engine/images.h"

#include <algorithm>
#include <future>

#include "base/text.h"
#include "compose/tree.h"
#include "podman/podman_argv.h"

namespace qpod::engine {

Diagnostic image_error(const compose::Service& s, const std::string& message) {
  const compose::Node* image = s.node.find("image");
  if (!image) return Diagnostic{"", 0, 0, "", "service " + s.name + ": " + message};
  return compose::error_at(
      *image, compose::child_path(compose::child_path("services", s.name), "image"), message);
}

std::string at_image(const compose::Service& s, const std::string& message) {
  return format(image_error(s, message));
}

std::string missing_image_hint(const compose::Service& s) {
  if (s.build) return "build it with `qpod build " + s.name + "`";
  return "is it in `podman images`? the name may be misspelled, or no registry has it";
}

bool local_only_image(const std::string& image) { return image.rfind("localhost/", 0) == 0; }

std::vector<std::string> images_of(const compose::Project& p,
                                   const std::vector<std::string>& services) {
  std::set<std::string> names;
  for (const auto& [name, s] : p.services)
    if (!s.provider &&  // a provider's service has no image
        (services.empty() || std::find(services.begin(), services.end(), name) != services.end()))
      names.insert(podman::image_of(p, s));
  return {names.begin(), names.end()};
}

ImageDecision decide_images(const compose::Project& p, const std::vector<std::string>& services,
                            const std::optional<std::set<std::string>>& present,
                            const ImageOptions& o) {
  ImageDecision d;
  std::set<std::string> decided;
  for (const auto& name : services) {
    const compose::Service& s = p.services.at(name);
    if (s.provider) continue;  // no image
    std::string image = podman::image_of(p, s);
    if (!decided.insert(image).second) continue;  // another service's step makes it
    bool has_build = s.build.has_value();
    std::string policy = o.pull.empty() ? s.pull_policy : o.pull;
    bool exists = !present || present->count(image) > 0;
    auto step = [&](ActionKind kind, std::string reason) {
      d.steps.push_back({kind, name, image, std::move(reason)});
    };
    if (has_build && !o.no_build && (o.build || s.pull_policy == "build")) {
      step(ActionKind::Build, o.build ? "--build" : "pull_policy build");
    } else if (policy == "always" && (!has_build || !s.image.empty())) {
      step(ActionKind::Pull, "pull_policy always");
    } else if (exists) {
      continue;
    } else if (has_build && !o.no_build) {
      step(ActionKind::Build, "image missing");
    } else if (has_build) {
      d.errors.push_back(image_error(
          s, "image " + image + " is missing and --no-build was given (run `qpod build " + name +
                 "`)"));
    } else if (policy == "never") {
      d.errors.push_back(image_error(
          s,
          "image " + image + " is missing and its pull policy is never (pull or build it first)"));
    } else if (local_only_image(image)) {
      d.errors.push_back(
          image_error(s, "image " + image +
                             " is not here, and localhost/ is no registry to pull it "
                             "from: " +
                             missing_image_hint(s)));
    } else {
      step(ActionKind::Pull, "image missing");
    }
  }
  return d;
}

namespace {

std::vector<std::string> selection(const compose::Project& p,
                                   const std::vector<std::string>& services) {
  if (!services.empty()) return services;
  std::vector<std::string> all;
  for (const auto& [name, s] : p.services) all.push_back(name);
  return all;
}

}  // namespace

Plan plan_build(const compose::Project& p, const std::vector<std::string>& services) {
  Plan plan;
  std::set<std::string> images;
  for (const auto& name : selection(p, services)) {
    const compose::Service& s = p.services.at(name);
    if (!s.build) {
      if (!services.empty()) plan.warnings.push_back("service " + name + " has no build: skipped");
      continue;
    }
    if (!images.insert(podman::image_of(p, s)).second) continue;
    std::vector<int> after;
    if (!plan.actions.empty()) after.push_back(static_cast<int>(plan.actions.size()) - 1);
    plan.actions.push_back({ActionKind::Build, name, "", after, {}});
  }
  return plan;
}

Plan plan_pull(const compose::Project& p, const std::vector<std::string>& services) {
  Plan plan;
  std::set<std::string> images;
  for (const auto& name : selection(p, services)) {
    const compose::Service& s = p.services.at(name);
    if (s.provider) continue;  // no image
    if (s.build) {
      if (!services.empty())
        plan.warnings.push_back("service " + name + " builds its image: skipped (qpod build)");
      continue;
    }
    if (images.insert(podman::image_of(p, s)).second)
      plan.actions.push_back({ActionKind::Pull, name, "", {}, {}});
  }
  return plan;
}

std::set<std::string> present_images(podman::Runtime& rt, const std::vector<std::string>& images) {
  std::vector<std::future<bool>> checks;
  for (const auto& image : images)
    checks.push_back(std::async(
        std::launch::async, [&rt, &image] { return rt.run(podman::image_exists(image)).ok(); }));
  std::set<std::string> present;
  for (std::size_t i = 0; i < images.size(); ++i)
    if (checks[i].get()) present.insert(images[i]);
  return present;
}

std::string image_id(podman::Runtime& rt, const std::string& image) {
  podman::RunResult r = rt.run(podman::image_inspect_id(image));
  return r.ok() ? trim(r.out) : "";
}

}  // namespace qpod::engine
