#pragma once
// File paths as the loader resolves them, and the one way it reads a file.
#include <optional>
#include <string>

#include "base/result.h"

namespace qpod::compose {

// The Compose file read from stdin (`-f -`) is named so in diagnostics and labels; it is never a
// path the loader opens (paths it opens are absolute).
inline constexpr const char* kStdinFile = "<stdin>";

// `path` made absolute against `dir` (or the current folder when `dir` is empty) and normalized.
std::string absolute_path(const std::string& dir, const std::string& path);

// Why `path` cannot be an input file, or nullopt if it can: "does not exist", "is a directory",
// "is not a regular file (a FIFO)", "is larger than the 8 MiB limit" (compose/limits.h). The
// reason is a phrase for the caller's sentence ("env file \"X\" is a directory").
std::optional<std::string> file_problem(const std::string& path);

// The whole of a regular file of at most kMaxFileBytes. A FIFO, a device or a directory is an
// error (reading /dev/zero or a FIFO would never end); errors are "cannot read <what>: <why>".
Result<std::string> read_input_file(const std::string& path, const std::string& what = "file");

// All that `fd` gives until its end (stdin for `-f -`: a pipe, a file or a terminal), at most
// kMaxFileBytes: past it, "cannot read <what>: is larger than the 8 MiB limit" (stdin may be
// /dev/zero). `name` is the diagnostic's file.
Result<std::string> read_input_stream(int fd, const std::string& name, const std::string& what);

}  // namespace qpod::compose
