#pragma once
// Stage 4: the Compose merge rules for several files (and for extends): mappings merged,
// sequences such as ports/volumes/secrets merged by their target, command/entrypoint replaced,
// `!reset` removes, `!override` replaces.
#include "base/result.h"
#include "compose/tree.h"

namespace qpod::compose {

Result<Node> merge_files(Node base, const Node& override_file);
// The service-level merge (also used by extends): `override_service` wins.
Result<Node> merge_service(Node base, const Node& override_service, const std::string& path);
// Drops what is tagged !reset (after merging; a lone file may carry them too).
void strip_reset_tags(Node& root);

}  // namespace qpod::compose
