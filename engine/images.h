#pragma once
// Images a project needs: which exist (observed), and what `up` does about the missing ones
// (pure): build when the service has `build`, else pull, as pull_policy and the flags say.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compose/model.h"
#include "engine/plan.h"
#include "podman/runtime.h"

namespace qpod::engine {

struct ImageOptions {
  bool build = false;     // up --build: rebuild the images of services that have `build`
  bool no_build = false;  // up --no-build: a missing image that needs a build is an error
  std::string pull;       // up --pull: always | missing | never; "" = each service's pull_policy
};

struct ImageStep {
  ActionKind kind;  // Build or Pull
  std::string service, image, reason;
};

struct ImageDecision {
  std::vector<ImageStep> steps;  // at most one per image, in the order of `services`
  Diagnostics errors;
};

// The distinct images of `services` (all when empty), in name order.
std::vector<std::string> images_of(const compose::Project& p,
                                   const std::vector<std::string>& services = {});

// For each service in `services` (in that order), what its image needs; `present` = the images
// that exist (nullopt: not observed, taken as present). pull_policy: always (pull), never (must
// exist), build (always build), missing / if_not_present / daily / weekly / every_* / "" (build or
// pull when missing).
ImageDecision decide_images(const compose::Project& p, const std::vector<std::string>& services,
                            const std::optional<std::set<std::string>>& present,
                            const ImageOptions& o);

// qpod build: the images of `services` (all when empty) that have `build`, one at a time.
// qpod pull: the images of those with `image:` and no `build`, in parallel.
Plan plan_build(const compose::Project& p, const std::vector<std::string>& services);
Plan plan_pull(const compose::Project& p, const std::vector<std::string>& services);

// Which of `images` exist here: one `podman image exists` each, concurrently.
std::set<std::string> present_images(podman::Runtime& rt, const std::vector<std::string>& images);

// `message` at the service's `image:` entry ("compose.yaml:3:12: services.web.image: ..."), or
// "service web: ..." when it has none (a built image's default name).
Diagnostic image_error(const compose::Service& s, const std::string& message);
std::string at_image(const compose::Service& s, const std::string& message);  // formatted
// What to do about a missing image of `s` that cannot be pulled: `qpod build S` when it has a
// build, else look at `podman images` (the reference may be misspelled, or no registry has it).
std::string missing_image_hint(const compose::Service& s);
// podman's own local namespace ("localhost/x"): no registry to pull from.
bool local_only_image(const std::string& image);

// The id of `image` here (what a container's ImageID names); "" when it does not exist.
std::string image_id(podman::Runtime& rt, const std::string& image);

}  // namespace qpod::engine
