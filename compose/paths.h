#pragma once
// File paths as the loader resolves them.
#include <string>

namespace qpod::compose {

// `path` made absolute against `dir` (or the current folder when `dir` is empty) and normalized.
std::string absolute_path(const std::string& dir, const std::string& path);

}  // namespace qpod::compose
