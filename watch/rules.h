#pragma once
// From a project to what to watch, and from a fired subscription to what to do: pure
// functions; the engine executes the actions.
#include <functional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "watch/subscription.h"

namespace qpod::watch {

enum class ActionKind { kSync, kRebuild, kRestart, kExec };

struct SyncFile {
  std::string host;       // absolute host path
  std::string container;  // absolute path in the container
  bool remove = false;    // gone from the host: remove it in the container
  bool operator==(const SyncFile&) const = default;
};

struct WatchAction {
  ActionKind kind = ActionKind::kRestart;
  std::string service;
  std::vector<SyncFile> files;                   // kSync, in host path order
  std::string reason;                            // "develop.watch[0] (sync): 3 paths changed"
  std::vector<compose::ServiceHook> hooks = {};  // kExec: the sync+exec rules' commands, in order
  bool operator==(const WatchAction&) const = default;
};
std::string to_string(const WatchAction& action);  // "sync web: +/h/a→/app/a -/h/b→/app/b"

// Where the QPOD `watch` entries are relative to: the template's git root, else the project
// directory.
std::string repository_root(const compose::Project& project);
// One subscription per service with develop.watch rules or QPOD watch entries (id = name).
std::vector<Subscription> subscriptions(const compose::Project& project);
// The directories to watch: those of the rules and the repository, nested ones merged.
std::vector<std::string> watch_roots(const compose::Project& project);
// The paths the watches name, absolute: each develop.watch path, each QPOD entry's path, or the
// part of a QPOD glob before its first wildcard ("build/**/x.so" names build; "**/*.conf"
// names nothing). What they name is watched even if .gitignore ignores it (WatchOptions::named).
std::vector<std::string> named_paths(const compose::Project& project);

using ExistsFn = std::function<bool(const std::string&)>;
// The actions for a service whose subscription fired with `changed` (absolute paths). Sync
// files are those of sync* rules; a rebuild makes a restart of the same service needless.
// `exists` tells a changed file from a deleted one (default: the file system).
std::vector<WatchAction> actions_for_change(const compose::Service& service,
                                            const std::string& repo_root,
                                            const std::vector<std::string>& changed,
                                            const ExistsFn& exists = {});
// The files and folders of a service's sync rules with `initial_sync`, as they are on disk now
// (what the rules ignore left out), for one sync when the watch starts.
std::vector<SyncFile> initial_sync_files(const compose::Service& service);

// After a queue overflow the changed paths are unknown: every rule acts as if its whole path
// changed (sync copies the whole path).
std::vector<WatchAction> actions_for_overflow(const compose::Service& service);

}  // namespace qpod::watch
