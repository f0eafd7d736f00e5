#include "watch/snapshot.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/temp_dir.h"

using namespace qpod::watch;
using qpod::compose::Project;
using qpod::compose::QpodEnvironment;
using qpod::compose::QpodService;
using qpod::compose::Service;
using qpod::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A QPOD project at `root` whose services watch these entries.
Project project(const TempDir& root, std::vector<std::pair<std::string, std::string>> watches) {
  Project p;
  p.name = "snap";
  p.working_dir = root.str();
  p.qpod = QpodEnvironment{};
  p.qpod->git_root = root.str();
  for (const auto& [name, entry] : watches) {
    Service& s = p.services[name];
    s.name = name;
    if (!s.qpod) s.qpod = QpodService{};
    s.qpod->watch.push_back(entry);
  }
  return p;
}

}  // namespace

TEST_CASE("snapshot: what a command wrote, added or removed among the watched files") {
  TempDir d;
  d.write(".gitignore", "build/\n*.tmp\n");
  d.write("build/plugin.so", "v1\n");
  d.write("build/other.o");
  d.write("plugins/a.so");
  d.write("plugins/b.so");
  d.write("src/main.c");
  const Project p = project(d, {{"host", "build/plugin.so"}, {"loader", "plugins/*.so"}});

  const Snapshot before = Snapshot::take(p);
  CHECK(before.size() == 3);  // plugin.so (kept though .gitignore ignores build/), a.so, b.so
  CHECK(Snapshot::take(p).changed_since(before).empty());

  d.write("build/plugin.so", "v2, longer\n");  // rewritten
  d.write("build/other.o", "changed");         // not watched
  d.write("src/main.c", "changed");            // not watched
  d.write("plugins/c.so");                     // added
  fs::remove(d / "plugins/a.so");              // removed
  CHECK(Snapshot::take(p).changed_since(before) ==
        std::vector<std::string>{d / "build/plugin.so", d / "plugins/a.so", d / "plugins/c.so"});
}

TEST_CASE("snapshot: a file replaced by a rename is a change, even of the same size and time") {
  TempDir d;
  const std::string so = d.write("build/plugin.so", "same\n");
  const Project p = project(d, {{"host", "build/"}});
  const auto time = fs::last_write_time(so);
  const Snapshot before = Snapshot::take(p);
  d.write("build/plugin.so.new", "same\n");
  fs::last_write_time(d / "build/plugin.so.new", time);
  fs::rename(d / "build/plugin.so.new", so);  // another inode
  const auto changed = Snapshot::take(p).changed_since(before);
  CHECK(std::find(changed.begin(), changed.end(), so) != changed.end());
}

TEST_CASE("snapshot: nothing is walked when no service watches anything") {
  TempDir d;
  d.write("a.txt");
  Project p = project(d, {});
  p.services["web"].name = "web";
  CHECK(Snapshot::take(p).size() == 0);
}
