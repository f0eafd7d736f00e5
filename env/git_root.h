#pragma once
// Where an environment is: the git repository around a folder, and the pod it gets.
#include <optional>
#include <string>

namespace qpod::env {

// The folder holding `.git` at `start` or its nearest parent: `.git` is a directory, or a file
// ("gitdir: ..." in worktrees and submodules, not followed). Absolute and lexically normal;
// nullopt outside a repository. No git process is run.
std::optional<std::string> find_git_root(const std::string& start);

// The pod (and project) name of the environment at `root`: the folder's name normalized as a
// project name (compose::normalize_project_name; "env" when nothing is left), "-", and the first
// 8 hex digits of the SHA-1 of the absolute root path, so two clones never share a pod.
std::string pod_name(const std::string& root);

// Whether `path` is `dir` or lies under it (both absolute and lexically normal).
bool is_inside(const std::string& path, const std::string& dir);

}  // namespace qpod::env
