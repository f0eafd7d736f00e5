#pragma once
// Stage 1: YAML text to a Node tree, with anchors, aliases and `<<` merge keys resolved,
// duplicate keys rejected, and `!reset` / `!override` tags kept for the merge stage.
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/tree.h"

namespace qpod::compose {

Result<Node> parse_yaml(std::string_view text, const std::string& file);
Result<std::string> read_text(const std::string& path);  // the whole file
Result<Node> parse_file(const std::string& path);        // read_text, then parse_yaml

}  // namespace qpod::compose
