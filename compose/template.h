#pragma once
// The QPOD dialect as loader input: a QPOD environment template (`.qpod/template.json`, JSON or
// YAML) becomes a Compose tree, which then goes through the same stages as a Compose file.
//
//   template                          Compose tree
//   name, image, build, env, mounts,  x-qpod: {name, image, build, env, mounts, binaries,
//   binaries, defaultRunArgs, ports            defaultRunArgs, ports}
//   services: {web: {start, watch,    services: {web: {image (the environment's when absent),
//                    ...Compose keys}}          ...Compose keys, x-qpod: {start, watch}}}
//   volumes, networks, secrets,       the same top-level keys
//   configs, x-*
//
// Every node keeps its mark, so later errors point into the template file.
#include <optional>
#include <string>

#include "base/result.h"
#include "compose/normalize.h"
#include "compose/tree.h"

namespace qpod::compose {

// `.qpod/template.json`, else `.qpod/template.yaml` (or `.yml`), under `dir`, when one exists.
std::optional<std::string> find_template(const std::string& dir);

// A `.json` template (`text`, read from `path`) must be JSON, as QPOD read it: the YAML parser
// would also take a trailing comma, a comment or an unquoted key. One error at the first
// offence; none for other files.
Diagnostics check_json_template(const std::string& path, const std::string& text);

// A parsed template to its Compose tree. Only the shape of the top level is checked here (a
// mapping, services a mapping); the schema checks the rest on the result.
Result<Node> template_to_compose(const Node& tmpl);

// The x-qpod keys to their long form, after normalize(): top-level env as a mapping of strings,
// ports as a service's long syntax, build as a service's, mount sources absolute (relative ones
// against `git_root`, or the project directory when empty).
Diagnostics normalize_qpod(Node& root, const NormalizeContext& ctx, const std::string& git_root);

}  // namespace qpod::compose
