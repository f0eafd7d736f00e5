#include "watch/watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>
#include <unordered_map>

#include "watch/fd.h"

namespace qpod::watch {
namespace fs = std::filesystem;
namespace {

constexpr std::uint32_t kDirMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE |
                                   IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |
                                   IN_EXCL_UNLINK;

std::string join(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (out != "/") out += '/';
  out += name;
  return out;
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (path[dir.size()] == '/' || dir == "/");
}

Diagnostic warning(std::string path, std::string message) {
  Diagnostic d;
  d.file = std::move(path);
  d.message = std::move(message);
  d.warning = true;
  return d;
}

}  // namespace

struct Watcher::Impl {
  UniqueFd inotify, wake;
  std::vector<IgnoreRules> roots;
  std::unordered_map<int, std::string> dirs;  // watch descriptor → absolute directory
  std::unordered_map<std::string, int> wds;   // and back
  std::mutex subs_mu;
  std::vector<Subscription> subs;
  Debouncer debouncer;
  Diagnostics warnings;

  IgnoreRules* root_of(const std::string& path) {
    for (auto& r : roots)
      if (path == r.root() || under(path, r.root())) return &r;
    return nullptr;
  }

  bool add_watch(const std::string& dir) {
    const int wd = ::inotify_add_watch(inotify.get(), dir.c_str(), kDirMask);
    if (wd < 0) {
      if (errno == ENOSPC)
        warnings.push_back(warning(dir,
                                   "cannot watch: inotify watch limit reached "
                                   "(raise fs.inotify.max_user_watches)"));
      else if (errno != ENOENT && errno != ENOTDIR)
        warnings.push_back(warning(dir, std::string("cannot watch: ") + std::strerror(errno)));
      return false;
    }
    if (auto it = dirs.find(wd); it != dirs.end()) wds.erase(it->second);
    dirs[wd] = dir;
    wds[dir] = wd;
    return true;
  }

  // Watches `dir` and every directory below it that is not ignored. With `report`, every
  // path found is a change: it appeared before its directory's watch did.
  void add_tree(const std::string& dir, IgnoreRules& rules, bool report, Clock::time_point now) {
    if (!add_watch(dir)) return;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string path = it->path().string();
      std::error_code type_ec;
      const bool is_dir = it->is_directory(type_ec) && !it->is_symlink(type_ec);
      if (rules.ignored(path, is_dir)) {
        if (is_dir) it.disable_recursion_pending();
        continue;
      }
      if (is_dir && !add_watch(path)) it.disable_recursion_pending();
      if (report) record(path, now);
    }
  }

  void forget_tree(const std::string& dir) {
    for (auto it = wds.begin(); it != wds.end();) {
      if (it->first == dir || under(it->first, dir)) {
        ::inotify_rm_watch(inotify.get(), it->second);
        dirs.erase(it->second);
        it = wds.erase(it);
      } else {
        ++it;
      }
    }
  }

  void record(const std::string& path, Clock::time_point now) {
    std::lock_guard lock(subs_mu);
    for (const auto& s : subs)
      if (s.matches(path)) debouncer.add(s.id, path, now);
  }

  void overflow(Clock::time_point now) {
    warnings.push_back(warning("", "inotify queue overflow: firing every subscription"));
    {
      std::lock_guard lock(subs_mu);
      for (const auto& s : subs) debouncer.add_overflow(s.id, now);
    }
    for (auto& r : roots) {
      r.invalidate(r.root());
      add_tree(r.root(), r, false, now);
    }
  }

  void handle(const inotify_event& ev, Clock::time_point now) {
    auto it = dirs.find(ev.wd);
    if (it == dirs.end()) return;
    if (ev.mask & IN_IGNORED) {  // the directory is gone (or was unwatched)
      wds.erase(it->second);
      dirs.erase(it);
      return;
    }
    const std::string dir = it->second;
    const std::string_view name = ev.len > 0 ? std::string_view(ev.name) : std::string_view();
    const std::string path = name.empty() ? dir : join(dir, name);
    IgnoreRules* rules = root_of(path);
    if (!rules) return;
    const bool is_dir = (ev.mask & IN_ISDIR) != 0;
    if (name == ".gitignore") {
      // Directories it ignored may now be kept: watch them (nothing is unwatched).
      rules->invalidate(dir);
      add_tree(dir, *rules, false, now);
    }
    if (rules->ignored(path, is_dir)) return;
    if (is_dir && (ev.mask & IN_MOVED_FROM)) forget_tree(path);
    if (is_dir && (ev.mask & (IN_CREATE | IN_MOVED_TO))) add_tree(path, *rules, true, now);
    record(path, now);
  }

  // Reads every queued event without blocking.
  void read_events() {
    alignas(inotify_event) std::array<char, 64 * 1024> buf;
    bool overflowed = false;
    const auto now = Clock::now();
    while (true) {
      const ssize_t n = ::read(inotify.get(), buf.data(), buf.size());
      if (n <= 0) break;  // EAGAIN: drained
      for (ssize_t off = 0; off < n;) {
        // The kernel pads every record so that the next header is aligned.
        const auto* ev = reinterpret_cast<const inotify_event*>(buf.data() + off);
        if (ev->mask & IN_Q_OVERFLOW)
          overflowed = true;
        else
          handle(*ev, now);
        off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      }
    }
    if (overflowed) overflow(now);
  }
};

Watcher::Watcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Watcher::~Watcher() = default;
Watcher::Watcher(Watcher&&) noexcept = default;
Watcher& Watcher::operator=(Watcher&&) noexcept = default;

Result<Watcher> Watcher::create(const std::vector<fs::path>& roots, WatchOptions options) {
  Diagnostics errors;
  std::vector<std::string> paths;
  for (const auto& r : roots) {
    std::error_code ec;
    const std::string p = fs::absolute(r, ec).lexically_normal().string();
    if (ec || !fs::is_directory(p, ec)) {
      errors.push_back({r.string(), 0, 0, "", "watch root is not a directory", false});
      continue;
    }
    paths.push_back(p.size() > 1 && p.back() == '/' ? p.substr(0, p.size() - 1) : p);
  }
  if (!errors.empty()) return errors;
  std::sort(paths.begin(), paths.end());
  auto impl = std::make_unique<Impl>();
  impl->debouncer = Debouncer(options.debounce);
  impl->inotify = UniqueFd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  impl->wake = UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!impl->inotify.valid() || !impl->wake.valid())
    return Diagnostic{"", 0, 0, "", std::string("inotify: ") + std::strerror(errno), false};
  for (const auto& p : paths) {
    if (impl->root_of(p)) continue;  // inside an earlier root
    impl->roots.emplace_back(p, options.ignore, options.gitignore);
  }
  for (const auto& named : options.named)
    if (IgnoreRules* r = impl->root_of(named)) r->keep(named);
  const auto now = Clock::now();
  for (auto& r : impl->roots) {
    impl->add_tree(r.root(), r, false, now);
    if (!impl->wds.count(r.root())) errors.push_back({r.root(), 0, 0, "", "cannot watch", false});
  }
  for (auto& w : impl->warnings)
    if (w.message.find("limit") != std::string::npos) errors.push_back(w);
  if (!errors.empty()) return errors;
  return Watcher(std::move(impl));
}

void Watcher::subscribe(Subscription subscription) {
  std::lock_guard lock(impl_->subs_mu);
  auto& subs = impl_->subs;
  auto it = std::find_if(subs.begin(), subs.end(),
                         [&](const Subscription& s) { return s.id == subscription.id; });
  if (it != subs.end())
    *it = std::move(subscription);
  else
    subs.push_back(std::move(subscription));
}

std::vector<Fired> Watcher::poll(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto now = Clock::now();
    auto fired = impl_->debouncer.take_due(now);
    if (!fired.empty()) return fired;
    auto until = deadline;
    if (auto next = impl_->debouncer.next_deadline(); next && *next < until) until = *next;
    const auto wait =
        std::chrono::ceil<std::chrono::milliseconds>(std::max(until - now, Clock::duration{}));
    std::array<pollfd, 2> fds{{{impl_->inotify.get(), POLLIN, 0}, {impl_->wake.get(), POLLIN, 0}}};
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (n < 0 && errno != EINTR) return {};
    if (n > 0 && (fds[0].revents & POLLIN)) impl_->read_events();
    if (n > 0 && (fds[1].revents & POLLIN)) {
      std::uint64_t count = 0;
      [[maybe_unused]] auto r = ::read(impl_->wake.get(), &count, sizeof count);
      return impl_->debouncer.take_due(Clock::now());
    }
    if (Clock::now() >= deadline) return impl_->debouncer.take_due(Clock::now());
  }
}

void Watcher::run(const std::function<void(const Fired&)>& on_fire, std::stop_token stop) {
  std::stop_callback wake_on_stop(stop, [this] { wake(); });
  while (!stop.stop_requested())
    for (const auto& f : poll(std::chrono::hours(1))) on_fire(f);
}

void Watcher::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(impl_->wake.get(), &one, sizeof one);
}

std::size_t Watcher::watched_directories() const { return impl_->dirs.size(); }

Diagnostics Watcher::take_warnings() { return std::exchange(impl_->warnings, {}); }

}  // namespace qpod::watch
