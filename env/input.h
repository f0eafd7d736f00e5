#pragma once
// What a command loads inside a repository: a Compose file, or the repository's QPOD template.
#include <optional>
#include <string>

#include "compose/loader.h"
#include "compose/variables.h"

namespace qpod::env {

// Fills opts.git_root when the working folder is inside a git repository. When no Compose file
// applies there (no -f, no COMPOSE_FILE, none found from the working folder up to the root) and
// the root has `.qpod/template.json` (or .yaml), the template is the input: opts.template_file,
// and opts.default_name = pod_name(root).
void prepare_load(compose::LoadOptions& opts);

// A named template: $XDG_CONFIG_HOME/qpod/templates/NAME.json (or .yaml, .yml), XDG_CONFIG_HOME
// defaulting to $HOME/.config. nullopt when there is none.
std::optional<std::string> find_named_template(const std::string& name,
                                               const compose::Variables& env);

}  // namespace qpod::env
