// qpod start / stop / restart and the project lock, on real podman.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/podman_fixture.h"

using qpod::it::inspect;
using qpod::it::ProjectGuard;

namespace {

std::string chain_yaml() {
  std::string yaml = "services:\n";
  for (const char* s : {"db", "web"}) {
    yaml += std::string("  ") + s + ":\n    image: " + qpod::it::kImage +
            "\n    init: true\n    command: [\"sleep\", \"600\"]\n";
  }
  yaml += "    depends_on: [db]\n";
  return yaml;
}

std::int64_t started_ns(const std::string& container) {
  auto text = inspect(container, "{{.State.StartedAt.UnixNano}}");
  return text.empty() ? 0 : std::stoll(text);
}

}  // namespace

TEST_CASE("qpod stop, start and restart act on existing containers in order",
          "[podman][cli][lifecycle]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("lifecycle"));
  p.write("compose.yaml", chain_yaml());
  std::string db = p.name() + "-db-1", web = p.name() + "-web-1";

  auto early = p.qpod({"start"});
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("service db has no container; run `qpod up db` first") != std::string::npos);
  CHECK(p.leftovers() == "");

  REQUIRE(p.qpod({"up", "-d"}).exit_code == 0);
  auto stop = p.qpod({"stop", "-t", "1"});
  INFO(stop.out << stop.err);
  REQUIRE(stop.exit_code == 0);
  CHECK(inspect(db, "{{.State.Status}}") == "exited");
  CHECK(inspect(web, "{{.State.Status}}") == "exited");
  // web depends on db: it stopped first.
  CHECK(inspect(web, "{{.State.FinishedAt.UnixNano}}") <=
        inspect(db, "{{.State.FinishedAt.UnixNano}}"));

  auto start = p.qpod({"start"});
  INFO(start.out << start.err);
  REQUIRE(start.exit_code == 0);
  CHECK(inspect(db, "{{.State.Status}}") == "running");
  CHECK(started_ns(db) < started_ns(web));

  auto before_db = started_ns(db), before_web = started_ns(web);
  auto restart = p.qpod({"restart", "-t", "1", "web"});
  INFO(restart.out << restart.err);
  REQUIRE(restart.exit_code == 0);
  CHECK(restart.out.find("Container " + web + "  Restarted") != std::string::npos);
  CHECK(started_ns(web) > before_web);
  CHECK(started_ns(db) == before_db);

  CHECK(p.qpod({"restart", "nosuch"}).exit_code == 1);
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}

TEST_CASE("two commands on one project are serialized by its lock", "[podman][cli][lock]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("lock"));
  p.write("compose.yaml", chain_yaml());
  // Two concurrent ups: without the lock both would try to create the pod and one would fail.
  auto a = std::async(std::launch::async, [&] { return p.qpod({"up", "-d"}); });
  auto b = std::async(std::launch::async, [&] { return p.qpod({"up", "-d"}); });
  auto ra = a.get(), rb = b.get();
  INFO(ra.out << ra.err << rb.out << rb.err);
  CHECK(ra.exit_code == 0);
  CHECK(rb.exit_code == 0);
  bool waited = (ra.err + rb.err).find("waiting for another qpod command on project " + p.name()) !=
                std::string::npos;
  CHECK(waited);
  // The second one found everything up: exactly one pod creation.
  std::string both = ra.out + rb.out;
  CHECK(both.find("Pod " + p.name() + "  Created") == both.rfind("Pod " + p.name() + "  Created"));
  CHECK(p.qpod({"down", "-t", "1"}).exit_code == 0);
  CHECK(p.leftovers() == "");
}
