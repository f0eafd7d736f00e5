#pragma once
// Shims: one link per declared binary, named after it, to the qpod executable; qpod started
// under such a name runs `qpod exec-env -- NAME ARGS...`. Shell hooks put the shims folder on
// PATH while the shell is inside the environment.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace qpod::env {

// <git root>/.qpod/shims
std::string default_shims_dir(const std::string& git_root);

// Creates `dir` (and its parents) with a symlink `dir/NAME` → `qpod_exe` for every binary;
// symlinks in `dir` that name no binary any more are removed, other files are left alone (and a
// non-symlink in the way of a binary is an error). Returns the binary names, in template order.
Result<std::vector<std::string>> create_shims(const compose::QpodEnvironment& env,
                                              const std::string& dir, const std::string& qpod_exe);

// For main(): argv rewritten as {argv[0], "exec-env", "--", NAME, ARGS...} when the program was
// started under a name other than "qpod" (through a shim); empty otherwise.
std::vector<std::string> shim_args(int argc, const char* const* argv);

// The lines `eval "$(qpod hook SHELL)"` runs: a prompt hook that finds the git root (the folder
// holding .git) and keeps <root>/.qpod/shims first on PATH while inside it. bash, zsh or fish;
// nullopt for another shell.
std::optional<std::string> hook_script(std::string_view shell);

}  // namespace qpod::env
