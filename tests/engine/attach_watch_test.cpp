// When an attached `up` ends: exits reported once per run, abort rules, restart policies.
#include "engine/attach_watch.h"

#include <catch2/catch.hpp>

using namespace qpod::engine;

namespace {

ObservedContainer ctr(std::string service, std::string state, int code = 0,
                      std::int64_t started = 100) {
  ObservedContainer c;
  c.name = "demo-" + service + "-1";
  c.service = std::move(service);
  c.id = "id-" + c.service;
  c.state = std::move(state);
  c.exit_code = code;
  c.started_at = started;
  return c;
}

}  // namespace

TEST_CASE("attach: up ends when every container exited, each exit reported once",
          "[engine][attach]") {
  AttachWatch w({});
  auto s1 = w.update({ctr("web", "running"), ctr("job", "exited", 3)});
  REQUIRE(s1.exited.size() == 1);
  CHECK(s1.exited[0].container == "demo-job-1");
  CHECK(s1.exited[0].exit_code == 3);
  CHECK(!s1.abort);
  CHECK(!s1.done);
  auto s2 = w.update({ctr("web", "exited", 0), ctr("job", "exited", 3)});
  REQUIRE(s2.exited.size() == 1);
  CHECK(s2.exited[0].service == "web");
  CHECK(s2.done);
  CHECK(s2.exit_code == 0);
  CHECK(w.update({}).done);  // the project is gone
}

TEST_CASE("attach: a restarted container's next exit is reported again", "[engine][attach]") {
  AttachWatch w({});
  CHECK(w.update({ctr("web", "exited", 1, 100)}).exited.size() == 1);
  CHECK(w.update({ctr("web", "exited", 1, 100)}).exited.empty());
  CHECK(w.update({ctr("web", "running", 0, 200)}).exited.empty());
  CHECK(w.update({ctr("web", "exited", 2, 200)}).exited.size() == 1);
}

TEST_CASE("attach: restart policies keep up attached", "[engine][attach]") {
  ExitRule r;
  r.restart = {{"always", "always"}, {"onfail", "on-failure:3"}, {"no", "no"}};
  AttachWatch w(r);
  // on-failure with a non-zero code and always: podman restarts them; not done yet.
  CHECK(!w.update({ctr("always", "exited", 0), ctr("onfail", "exited", 1)}).done);
  // on-failure that exited 0 is done; always stays down three polls in a row: stopped for good.
  CHECK(!w.update({ctr("always", "exited", 0), ctr("onfail", "exited", 0, 200)}).done);
  CHECK(w.update({ctr("always", "exited", 0), ctr("onfail", "exited", 0, 200)}).done);
}

TEST_CASE("attach: --abort-on-container-exit stops at the first exit, with its code",
          "[engine][attach]") {
  ExitRule r;
  r.abort_on_exit = true;
  AttachWatch w(r);
  CHECK(!w.update({ctr("web", "running"), ctr("db", "running")}).abort);
  auto s = w.update({ctr("web", "running"), ctr("db", "exited", 7)});
  CHECK(s.abort);
  CHECK(s.exit_code == 7);
}

TEST_CASE("attach: a completed service_completed_successfully dependency does not abort",
          "[engine][attach]") {
  ExitRule r;
  r.exit_code_from = "tests";
  r.completion_deps = {"migrate"};
  AttachWatch w(r);
  auto s1 = w.update({ctr("migrate", "exited", 0), ctr("tests", "running")});
  CHECK(s1.exited.size() == 1);
  CHECK(!s1.abort);
  auto s2 = w.update({ctr("migrate", "exited", 0), ctr("tests", "exited", 4)});
  CHECK(s2.abort);
  CHECK(s2.exit_code == 4);
  // A failed migration aborts.
  AttachWatch w2(r);
  CHECK(w2.update({ctr("migrate", "exited", 1), ctr("tests", "running")}).abort);
}

TEST_CASE("attach: --exit-code-from takes that service's code whoever aborts", "[engine][attach]") {
  ExitRule r;
  r.exit_code_from = "tests";
  AttachWatch w(r);
  auto s = w.update({ctr("app", "exited", 9), ctr("tests", "running")});
  CHECK(s.abort);
  CHECK(!s.exit_code);  // tests still runs: its code is known after the stop
  AttachWatch w2(r);
  auto s2 = w2.update({ctr("app", "exited", 9), ctr("tests", "exited", 0)});
  CHECK(s2.abort);
  CHECK(s2.exit_code == 0);
}

TEST_CASE("attach: --abort-on-container-failure ignores exits with code 0", "[engine][attach]") {
  ExitRule r;
  r.abort_on_failure = true;
  AttachWatch w(r);
  CHECK(!w.update({ctr("seed", "exited", 0), ctr("web", "running")}).abort);
  auto s = w.update({ctr("seed", "exited", 0), ctr("web", "exited", 2)});
  CHECK(s.abort);
  CHECK(s.exit_code == 2);
}

TEST_CASE("attach: exit_rule_for reads restart policies and completion dependencies",
          "[engine][attach]") {
  qpod::compose::Project p;
  p.services["db"].restart = "always";
  p.services["migrate"];
  p.services["app"].depends_on["migrate"].condition = "service_completed_successfully";
  p.services["app"].depends_on["db"].condition = "service_healthy";
  auto r = exit_rule_for(p);
  CHECK(r.completion_deps == std::set<std::string>{"migrate"});
  CHECK(r.restart.at("db") == "always");
}
