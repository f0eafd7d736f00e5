// qpod removes only what it made, on real podman through the qpod binary: a container someone
// else labelled with the project survives up and down and is named; an orphan qpod made goes
// with down --remove-orphans wherever it is.
#include <catch2/catch.hpp>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string sleeper(const std::string& name) {
  return std::string("  ") + name + ":\n    image: " + qpod::it::kImage +
         "\n    init: true\n    command: [\"sleep\", \"600\"]\n";
}

bool exists(const std::string& container) {
  return qpod::it::podman({"container", "exists", container}).ok();
}

}  // namespace

TEST_CASE("up and down leave a container qpod did not create alone and name it",
          "[podman][ownership]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("foreign"));
  // Someone else's container with the project label only (the guard removes it by that label).
  std::string stranger = p.name() + "-stranger";
  REQUIRE(
      qpod::it::podman({"run", "-d", "--label", "io.qpod.project=" + p.name(), "--name", stranger,
                        qpod::it::kImage, "sh", "-c", "echo stranger-says-hi; exec sleep 1000"})
          .ok());
  p.write("compose.yaml", "services:\n" + sleeper("web"));

  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  CHECK(up.exit_code == 0);
  CHECK(contains(up.err, "[" + stranger + "]"));
  CHECK(contains(up.err, "not created by qpod: left alone"));
  CHECK_FALSE(contains(up.err, "--remove-orphans"));
  CHECK(inspect(stranger, "{{.State.Status}}") == "running");
  CHECK(inspect(p.name() + "-web-1", "{{.State.Status}}") == "running");

  // ps and logs show the project's containers only.
  auto ps = p.qpod({"ps", "-a"});
  INFO(ps.out << ps.err);
  CHECK(ps.exit_code == 0);
  CHECK(contains(ps.out, p.name() + "-web-1"));
  CHECK_FALSE(contains(ps.out, stranger));
  CHECK(contains(ps.err, "not created by qpod"));
  auto ps_q = p.qpod({"ps", "-a", "-q"});
  CHECK(ps_q.out.size() > 0);
  CHECK(ps_q.out.find('\n') == ps_q.out.size() - 1);  // one ID: web's
  auto logs = p.qpod({"logs", "--no-color"});
  INFO(logs.out << logs.err);
  CHECK(logs.exit_code == 0);
  CHECK_FALSE(contains(logs.out + logs.err, "stranger-says-hi"));

  auto down = p.qpod({"down", "-t", "0", "--remove-orphans"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK(contains(down.err, "[" + stranger + "]"));
  CHECK(inspect(stranger, "{{.State.Status}}") == "running");
  CHECK_FALSE(exists(p.name() + "-web-1"));
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());  // it held only qpod's

  // By name only (no compose file here): the same.
  auto by_name = qpod::podman::run_process(QPOD_BINARY, {"-p", p.name(), "down", "-t", "0"}, "/");
  INFO(by_name.out << by_name.err);
  CHECK(by_name.exit_code == 0);
  CHECK(inspect(stranger, "{{.State.Status}}") == "running");
}

TEST_CASE("down --remove-orphans removes an orphan qpod made, also outside the pod",
          "[podman][ownership]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("orphanout"));
  p.write("compose.yaml", "services:\n" + sleeper("web") + sleeper("old"));
  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  // A container qpod made for `old`, whose pod is gone: qpod's labels, in no pod (podman cannot
  // take a container out of a pod, so it is made with qpod's labels as they are on old-1).
  std::string outside = p.name() + "-old-2";
  std::vector<std::string> run = {"run", "-d", "--name", outside};
  auto labels = qpod::it::podman({"container", "inspect", "--format",
                                  "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}\n{{end}}",
                                  p.name() + "-old-1"});
  REQUIRE(labels.ok());
  for (const auto& l : ProjectGuard::lines(labels.out))
    if (l.rfind("io.qpod.", 0) == 0) run.insert(run.end(), {"--label", l});
  run.insert(run.end(), {qpod::it::kImage, "sleep", "1000"});
  REQUIRE(qpod::it::podman(run).ok());
  REQUIRE(inspect(outside, "{{.Pod}}") == "");

  p.write("compose.yaml", "services:\n" + sleeper("web"));  // old removed from the file
  auto down = p.qpod({"down", "-t", "0"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK(contains(down.err, "Found orphan containers"));
  CHECK(exists(p.name() + "-old-1"));  // in the pod: the pod is kept
  CHECK(exists(outside));
  CHECK(qpod::it::podman({"pod", "exists", p.name()}).ok());

  auto rm = p.qpod({"down", "-t", "0", "--remove-orphans"});
  INFO(rm.out << rm.err);
  CHECK(rm.exit_code == 0);
  CHECK_FALSE(exists(outside));
  CHECK_FALSE(exists(p.name() + "-old-1"));
  CHECK_FALSE(qpod::it::podman({"pod", "exists", p.name()}).ok());
  CHECK(p.leftovers() == "");
}
