#include "watch/rules.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/support/temp_dir.h"

using namespace qpod::watch;
using qpod::compose::Project;
using qpod::compose::QpodService;
using qpod::compose::Service;
using qpod::compose::WatchRule;
using qpod::testing::TempDir;

namespace {

std::vector<std::string> strings(const std::vector<WatchAction>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(to_string(a));
  return out;
}

// Files in this set exist; everything else was deleted.
ExistsFn existing(std::set<std::string> files) {
  return [files = std::move(files)](const std::string& p) { return files.count(p) > 0; };
}

Service web() {
  Service s;
  s.name = "web";
  s.develop_watch = {
      {"sync", "/p/web/html", "/var/www", {"node_modules/"}},
      {"rebuild", "/p/web/package.json", "", {}},
      {"sync+restart", "/p/web/conf", "/etc/web/", {}},
  };
  return s;
}

}  // namespace

TEST_CASE("matchers: paths, QPOD entries and develop.watch rules") {
  const auto dir = path_matcher("/r/src/");
  CHECK(dir.matches("/r/src"));
  CHECK(dir.matches("/r/src/a/b.c"));
  CHECK_FALSE(dir.matches("/r/srcx/a.c"));
  CHECK_FALSE(dir.matches("/r"));
  const auto file = qpod_entry_matcher("/r", "./Makefile");
  CHECK(file.matches("/r/Makefile"));
  CHECK_FALSE(file.matches("/r/Makefile.in"));
  const auto glob = qpod_entry_matcher("/r", "plugins/*.so");
  CHECK(glob.matches("/r/plugins/a.so"));
  CHECK_FALSE(glob.matches("/r/plugins/a.txt"));
  CHECK_FALSE(glob.matches("/r/other/plugins/a.so"));
  const auto deep = qpod_entry_matcher("/r", "build/**/libfoo.so");
  CHECK(deep.matches("/r/build/libfoo.so"));
  CHECK(deep.matches("/r/build/x/y/libfoo.so"));
  CHECK_FALSE(deep.matches("/r/build/x/libbar.so"));
  const auto rule = develop_matcher({"sync", "/r/web", "/app", {"node_modules/", "**/*.swp"}});
  CHECK(rule.matches("/r/web/index.html"));
  CHECK_FALSE(rule.matches("/r/web/node_modules/x/y.js"));
  CHECK(rule.matches("/r/web/lib/node_modules/y.js"));  // anchored, as in .dockerignore
  CHECK_FALSE(rule.matches("/r/web/a/.b.swp"));
}

TEST_CASE("watch rules: sync copies changed files to the target and removes deleted ones") {
  const auto actions = actions_for_change(
      web(), "/p", {"/p/web/html/a.html", "/p/web/html/old.css"}, existing({"/p/web/html/a.html"}));
  CHECK(strings(actions) ==
        std::vector<std::string>{"sync web: +/p/web/html/a.html->/var/www/a.html "
                                 "-/p/web/html/old.css->/var/www/old.css"});
  CHECK(actions[0].reason == "develop.watch[0] (sync): /p/web/html/a.html and 1 more");
}

TEST_CASE("watch rules: sync+restart syncs then restarts, ignored paths do nothing") {
  const auto all = existing({"/p/web/conf/nginx.conf"});
  CHECK(strings(actions_for_change(web(), "/p", {"/p/web/conf/nginx.conf"}, all)) ==
        std::vector<std::string>{"sync web: +/p/web/conf/nginx.conf->/etc/web/nginx.conf",
                                 "restart web"});
  CHECK(actions_for_change(web(), "/p", {"/p/web/html/node_modules/x.js", "/p/elsewhere"}, all)
            .empty());
}

TEST_CASE("watch rules: a rebuild replaces syncs and restarts of the same service") {
  const auto actions =
      actions_for_change(web(), "/p", {"/p/web/package.json", "/p/web/conf/a"}, existing({}));
  CHECK(strings(actions) == std::vector<std::string>{"rebuild web"});
}

TEST_CASE("watch rules: QPOD watch entries restart the service, overflow acts on every rule") {
  Service s = web();
  s.develop_watch.resize(1);
  s.qpod = QpodService{"binary", {"plugins/*.so", "bin/server"}};
  CHECK(strings(actions_for_change(s, "/repo", {"/repo/plugins/x.so"}, existing({}))) ==
        std::vector<std::string>{"restart web"});
  CHECK(actions_for_change(s, "/repo", {"/repo/plugins/x.txt"}, existing({})).empty());
  CHECK(strings(actions_for_overflow(s)) ==
        std::vector<std::string>{"sync web: +/p/web/html->/var/www", "restart web"});
  // A service whose image is built from the repository is rebuilt instead.
  s.build = qpod::compose::Build{};
  CHECK(strings(actions_for_change(s, "/repo", {"/repo/bin/server"}, existing({}))) ==
        std::vector<std::string>{"rebuild web"});
  CHECK(strings(actions_for_overflow(s)) == std::vector<std::string>{"rebuild web"});
}

TEST_CASE("develop.watch include: only what its patterns match counts") {
  WatchRule rule{"sync", "/r/web", "/app", {"vendor/"}};
  rule.include = {"*.html", "**/*.css"};
  const auto m = develop_matcher(rule);
  CHECK(m.matches("/r/web/index.html"));
  CHECK_FALSE(m.matches("/r/web/sub/page.html"));  // anchored, as .dockerignore patterns are
  CHECK(m.matches("/r/web/sub/site.css"));
  CHECK_FALSE(m.matches("/r/web/vendor/x.css"));  // ignore still applies
  CHECK_FALSE(m.matches("/r/web/app.js"));
}

TEST_CASE("initial_sync: the rule's files as they are, less what it ignores") {
  TempDir d;
  d.write("html/index.html", "i");
  d.write("html/sub/page.html", "p");
  d.write("html/node_modules/x.js", "x");
  d.write("html/notes.tmp", "t");
  d.write("conf/app.conf", "c");
  Service s;
  s.name = "web";
  s.develop_watch = {{"sync", d / "html", "/www", {"node_modules/", "*.tmp"}},
                     {"sync+restart", d / "conf", "/etc/app", {}},  // no initial_sync
                     {"rebuild", d / "html", "", {}}};
  s.develop_watch[0].initial_sync = true;
  s.develop_watch[2].initial_sync = true;  // not a sync rule: nothing to copy
  std::vector<std::string> got;
  for (const auto& f : initial_sync_files(s)) got.push_back(f.host + "->" + f.container);
  CHECK(got ==
        std::vector<std::string>{d / "html/index.html" + std::string("->/www/index.html"),
                                 d / "html/sub" + std::string("->/www/sub"),
                                 d / "html/sub/page.html" + std::string("->/www/sub/page.html")});
}

TEST_CASE("watch rules: subscriptions and roots of a project") {
  TempDir d;
  d.mkdir("repo/web/html");
  d.write("repo/web/package.json", "{}");
  d.mkdir("other");
  Project p;
  p.working_dir = d / "repo";
  Service a;
  a.name = "a";
  a.develop_watch = {{"sync", d / "repo/web/html", "/www", {}},
                     {"rebuild", d / "repo/web/package.json", "", {}}};
  Service b;
  b.name = "b";
  b.qpod = QpodService{"auto", {"src"}};
  Service c;
  c.name = "c";
  c.develop_watch = {{"restart", d / "other", "", {}}};
  Service none;
  none.name = "none";
  p.services = {{"a", a}, {"b", b}, {"c", c}, {"none", none}};

  const auto subs = subscriptions(p);
  REQUIRE(subs.size() == 3);
  CHECK(subs[0].id == "a");
  CHECK(subs[0].matchers.size() == 2);
  CHECK(subs[1].id == "b");
  CHECK(subs[1].matches(d / "repo/src/main.c"));
  CHECK_FALSE(subs[1].matches(d / "repo/web/x"));
  CHECK(watch_roots(p) == std::vector<std::string>{d / "other", d / "repo"});
  p.services.at("b").qpod->watch = {"build/**/x.so", "**/*.conf", "./plugins/", "a/*/b"};
  CHECK(named_paths(p) == std::vector<std::string>{d / "other", d / "repo/a", d / "repo/build",
                                                   d / "repo/plugins", d / "repo/web/html",
                                                   d / "repo/web/package.json"});
}
