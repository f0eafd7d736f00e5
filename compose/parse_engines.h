#pragma once
// The two YAML readers behind parse_yaml, exposed so that a test can check they build the same
// trees (marks included) on every input.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/tree.h"

namespace qpod::compose::detail {

// libyaml: the tree of a well-formed one-mapping document, or nullopt for anything else
// (a syntax error, an unknown alias, a duplicate key, another top level...).
std::optional<Node> parse_with_libyaml(std::string_view text, const std::string& file);

// yaml-cpp: any input, with its error messages.
Result<Node> parse_with_yaml_cpp(std::string_view text, const std::string& file);

}  // namespace qpod::compose::detail
