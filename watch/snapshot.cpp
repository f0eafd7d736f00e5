#include "watch/snapshot.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "watch/glob.h"
#include "watch/ignore.h"
#include "watch/rules.h"
#include "watch/subscription.h"

namespace fs = std::filesystem;

namespace qpod::watch {
namespace {

bool same_time(const std::timespec& a, const std::timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// Where a matcher's files are: its base, and for a glob the whole segments before the first
// wildcard ("build/**/x.so" below base: base/build).
std::string walk_start(const Matcher& m) {
  std::string out = m.base;
  for (const auto& segment : fs::path(m.glob)) {
    if (has_glob_chars(segment.native())) break;
    out = (fs::path(out) / segment).string();
  }
  return out;
}

class Walker {
 public:
  Walker(const compose::Project& project, std::vector<Subscription> subs) : subs_(std::move(subs)) {
    const auto named = named_paths(project);
    for (const auto& root : watch_roots(project)) {
      auto& rules = rules_.emplace_back(std::make_unique<IgnoreRules>(root));
      for (const auto& n : named)
        if (relative_to(root, n)) rules->keep(n);
    }
  }

  void walk(const std::string& start, std::map<std::string, FileState>& out) {
    std::error_code ec;
    add(start, out);
    if (!fs::is_directory(fs::symlink_status(start, ec))) return;
    fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string path = it->path().string();
      std::error_code type_ec;
      const bool dir = it->is_directory(type_ec) && !it->is_symlink(type_ec);
      if (it->path().filename() == ".git" || ignored(path, dir)) {
        if (dir) it.disable_recursion_pending();
        continue;
      }
      add(path, out);
    }
  }

 private:
  bool ignored(const std::string& path, bool dir) {
    for (auto& rules : rules_)
      if (relative_to(rules->root(), path)) return rules->ignored(path, dir);
    return false;
  }
  void add(const std::string& path, std::map<std::string, FileState>& out) const {
    if (!std::any_of(subs_.begin(), subs_.end(),
                     [&](const Subscription& s) { return s.matches(path); }))
      return;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) return;
    FileState f;
    f.mtime = st.st_mtim;
    f.ctime = st.st_ctim;
    f.size = static_cast<long long>(st.st_size);
    f.inode = static_cast<unsigned long long>(st.st_ino);
    f.dir = S_ISDIR(st.st_mode);
    out[path] = f;
  }

  std::vector<Subscription> subs_;
  std::vector<std::unique_ptr<IgnoreRules>> rules_;
};

}  // namespace

bool FileState::operator==(const FileState& o) const {
  return same_time(mtime, o.mtime) && same_time(ctime, o.ctime) && size == o.size &&
         inode == o.inode && dir == o.dir;
}

Snapshot Snapshot::take(const compose::Project& project) {
  Snapshot s;
  auto subs = subscriptions(project);
  if (subs.empty()) return s;
  std::vector<std::string> starts;
  for (const auto& sub : subs)
    for (const auto& m : sub.matchers) starts.push_back(walk_start(m));
  std::sort(starts.begin(), starts.end());
  std::vector<std::string> outer;  // a start inside another is walked with it
  for (auto& p : starts)
    if (outer.empty() || !relative_to(outer.back(), p)) outer.push_back(std::move(p));
  Walker walker(project, std::move(subs));
  for (const auto& start : outer) walker.walk(start, s.files_);
  return s;
}

std::vector<std::string> Snapshot::changed_since(const Snapshot& before) const {
  std::vector<std::string> out;
  auto a = before.files_.begin(), b = files_.begin();
  while (a != before.files_.end() || b != files_.end()) {
    if (b == files_.end() || (a != before.files_.end() && a->first < b->first)) {
      out.push_back((a++)->first);  // removed
    } else if (a == before.files_.end() || b->first < a->first) {
      out.push_back((b++)->first);  // added
    } else {
      if (!(a->second == b->second)) out.push_back(b->first);
      ++a;
      ++b;
    }
  }
  return out;
}

}  // namespace qpod::watch
