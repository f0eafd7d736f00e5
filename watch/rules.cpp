#include "watch/rules.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "watch/glob.h"
#include "watch/ignore.h"

namespace qpod::watch {
namespace fs = std::filesystem;
namespace {

std::string container_path(const std::string& target, const std::string& rel) {
  if (rel.empty()) return target;
  std::string out = target;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out != "/") out += '/';
  return out + rel;
}

bool is_sync(const std::string& action) { return action.rfind("sync", 0) == 0; }

std::string describe(std::size_t index, const compose::WatchRule& rule,
                     const std::vector<std::string>& paths) {
  std::string out = "develop.watch[" + std::to_string(index) + "] (" + rule.action + "): ";
  out += paths.front();
  if (paths.size() > 1) out += " and " + std::to_string(paths.size() - 1) + " more";
  return out;
}

// Collects the rules' verdicts, then emits sync, rebuild or restart, exec in that order.
struct Builder {
  const compose::Service& service;
  std::map<std::string, SyncFile> files;
  std::vector<std::string> sync_reasons, rebuild_reasons, restart_reasons, exec_reasons;
  std::vector<compose::ServiceHook> hooks = {};

  void rule(std::size_t i, const compose::WatchRule& r, const std::vector<std::string>& paths) {
    const std::string why = describe(i, r, paths);
    if (r.action == "rebuild") rebuild_reasons.push_back(why);
    if (r.action == "restart" || r.action == "sync+restart") restart_reasons.push_back(why);
    if (r.action == "sync+exec" && r.exec) {
      exec_reasons.push_back(why);
      if (std::find(hooks.begin(), hooks.end(), *r.exec) == hooks.end()) hooks.push_back(*r.exec);
    }
    if (is_sync(r.action)) sync_reasons.push_back(why);
  }

  static std::string join(const std::vector<std::string>& reasons) {
    std::string out;
    for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
    return out;
  }

  std::vector<WatchAction> actions() {
    std::vector<WatchAction> out;
    if (!rebuild_reasons.empty()) {  // the new container starts from the new image
      out.push_back({ActionKind::kRebuild, service.name, {}, join(rebuild_reasons)});
      return out;
    }
    if (!files.empty()) {
      WatchAction sync{ActionKind::kSync, service.name, {}, join(sync_reasons)};
      for (auto& [host, f] : files) sync.files.push_back(std::move(f));
      out.push_back(std::move(sync));
    }
    if (!restart_reasons.empty())
      out.push_back({ActionKind::kRestart, service.name, {}, join(restart_reasons)});
    if (!exec_reasons.empty())
      out.push_back({ActionKind::kExec, service.name, {}, join(exec_reasons), hooks});
    return out;
  }
};

}  // namespace

std::string to_string(const WatchAction& a) {
  static constexpr const char* kNames[] = {"sync", "rebuild", "restart", "exec"};
  std::string out = std::string(kNames[static_cast<int>(a.kind)]) + " " + a.service;
  for (std::size_t i = 0; i < a.files.size(); ++i)
    out += (i == 0 ? ": " : " ") + std::string(a.files[i].remove ? "-" : "+") + a.files[i].host +
           "->" + a.files[i].container;
  return out;
}

std::string repository_root(const compose::Project& project) {
  if (project.qpod && !project.qpod->git_root.empty()) return project.qpod->git_root;
  return project.working_dir;
}

std::vector<Subscription> subscriptions(const compose::Project& project) {
  std::vector<Subscription> out;
  const std::string repo = repository_root(project);
  for (const auto& [name, service] : project.services) {
    Subscription s{name, {}};
    for (const auto& rule : service.develop_watch) s.matchers.push_back(develop_matcher(rule));
    if (service.qpod)
      for (const auto& entry : service.qpod->watch)
        s.matchers.push_back(qpod_entry_matcher(repo, entry));
    if (!s.matchers.empty()) out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> watch_roots(const compose::Project& project) {
  std::vector<std::string> dirs;
  auto add = [&](fs::path p) {
    std::error_code ec;
    while (p.has_relative_path() && !fs::is_directory(p, ec)) p = p.parent_path();
    dirs.push_back(p.lexically_normal().string());
  };
  for (const auto& [name, service] : project.services) {
    for (const auto& rule : service.develop_watch) add(rule.path);
    if (service.qpod && !service.qpod->watch.empty()) add(repository_root(project));
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<std::string> out;
  for (auto& d : dirs)
    if (out.empty() || !relative_to(out.back(), d)) out.push_back(std::move(d));
  return out;
}

std::vector<std::string> named_paths(const compose::Project& project) {
  std::vector<std::string> out;
  const std::string repo = repository_root(project);
  for (const auto& [name, service] : project.services) {
    for (const auto& rule : service.develop_watch) out.push_back(rule.path);
    if (!service.qpod) continue;
    for (const auto& entry : service.qpod->watch) {
      std::string literal;  // the whole segments before the first wildcard
      for (const auto& segment : fs::path(clean_relative(entry))) {
        if (has_glob_chars(segment.native())) break;
        literal += (literal.empty() ? "" : "/") + segment.native();
      }
      if (!literal.empty()) out.push_back((fs::path(repo) / literal).lexically_normal().string());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<WatchAction> actions_for_change(const compose::Service& service,
                                            const std::string& repo_root,
                                            const std::vector<std::string>& changed,
                                            const ExistsFn& exists) {
  const ExistsFn on_disk = exists ? exists : [](const std::string& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
  };
  Builder b{service, {}, {}, {}, {}, {}};
  for (std::size_t i = 0; i < service.develop_watch.size(); ++i) {
    const auto& rule = service.develop_watch[i];
    const Matcher m = develop_matcher(rule);
    std::vector<std::string> paths;
    for (const auto& p : changed)
      if (m.matches(p)) paths.push_back(p);
    if (paths.empty()) continue;
    b.rule(i, rule, paths);
    if (!is_sync(rule.action)) continue;
    for (const auto& p : paths)
      b.files[p] = {p, container_path(rule.target, *relative_to(rule.path, p)), !on_disk(p)};
  }
  if (service.qpod) {
    std::vector<std::string> paths;
    for (const auto& entry : service.qpod->watch) {
      const Matcher m = qpod_entry_matcher(repo_root, entry);
      for (const auto& p : changed)
        if (m.matches(p)) paths.push_back(p);
    }
    // A service whose image is built (from the repository) is rebuilt, else restarted.
    auto& reasons = service.build ? b.rebuild_reasons : b.restart_reasons;
    if (!paths.empty())
      reasons.push_back("x-qpod.watch: " + paths.front() + (paths.size() > 1 ? " and more" : ""));
  }
  return b.actions();
}

std::vector<SyncFile> initial_sync_files(const compose::Service& service) {
  std::vector<SyncFile> out;
  for (const auto& rule : service.develop_watch) {
    if (!rule.initial_sync || !is_sync(rule.action)) continue;
    const Matcher m = develop_matcher(rule);
    std::error_code ec;
    if (!fs::is_directory(rule.path, ec)) {
      if (fs::exists(rule.path, ec)) out.push_back({rule.path, rule.target, false});
      continue;
    }
    fs::recursive_directory_iterator it(rule.path, fs::directory_options::skip_permission_denied,
                                        ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string path = it->path().string();
      std::error_code type_ec;
      const bool dir = it->is_directory(type_ec) && !it->is_symlink(type_ec);
      // .git never; an ignored folder is not entered (an `include` pattern may still match
      // files below a folder it does not match itself, so folders are judged by `ignore` only).
      if (it->path().filename() == ".git" ||
          (dir ? ignored_by(m.ignore, *relative_to(rule.path, path), true) : !m.matches(path))) {
        if (dir) it.disable_recursion_pending();
        continue;
      }
      out.push_back({path, container_path(rule.target, *relative_to(rule.path, path)), false});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SyncFile& a, const SyncFile& b) { return a.host < b.host; });
  return out;
}

std::vector<WatchAction> actions_for_overflow(const compose::Service& service) {
  Builder b{service, {}, {}, {}, {}, {}};
  for (std::size_t i = 0; i < service.develop_watch.size(); ++i) {
    const auto& rule = service.develop_watch[i];
    b.rule(i, rule, {rule.path});
    if (is_sync(rule.action)) b.files[rule.path] = {rule.path, rule.target, false};
  }
  if (service.qpod && !service.qpod->watch.empty())
    (service.build ? b.rebuild_reasons : b.restart_reasons)
        .push_back("x-qpod.watch: events were lost");
  return b.actions();
}

}  // namespace qpod::watch
