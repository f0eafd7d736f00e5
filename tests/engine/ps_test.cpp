// qpod ps: podman's JSON in, docker compose's rows out (status wording, own ports, JSON fields).
#include "engine/ps.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/ps_health.h"
#include "podman/labels.h"
#include "tests/engine/fake_runtime.h"

using namespace qpod::engine;
namespace podman = qpod::podman;
using qpod::engine::testing::FakeRuntime;

namespace {

// Two services and the infra of one pod publishing 8080->80 and 9000-9001->9000-9001/udp, as
// podman 4.3 lists them: every member carries the pod's ports.
const char* kPs = R"J([
 {"Id":"infra0","IsInfra":true,"Names":["demo-infra"],"Pod":"pod1","Networks":["demo_default"],
  "State":"running","Ports":[]},
 {"Id":"aaaaaaaaaaaaaaaa","Names":["demo-web-1"],"Pod":"pod1","Image":"localhost/web:1",
  "Command":["httpd","-f","-p","80","-h","/var/www/html"],"State":"running",
  "Status":"Up 7 seconds ago (healthy)","Created":1000,"StartedAt":1010,"ExitedAt":-62135596800,
  "ExitCode":0,"Networks":[],"Mounts":["/data"],
  "Labels":{"io.qpod.project":"demo","io.qpod.service":"web","io.qpod.oneoff":"False",
            "io.qpod.config-hash":"h1"},
  "Ports":[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"},
           {"host_ip":"127.0.0.1","container_port":9000,"host_port":9000,"range":2,"protocol":"udp"}]},
 {"Id":"bbbbbbbbbbbbbbbb","Names":["demo-job-1"],"Pod":"pod1","Image":"localhost/job:1",
  "Command":["true"],"State":"exited","Status":"Exited (3) 2 seconds ago (starting)",
  "Created":1000,"StartedAt":1010,"ExitedAt":1050,"ExitCode":3,
  "Labels":{"io.qpod.project":"demo","io.qpod.service":"job","io.qpod.oneoff":"False"},
  "Ports":[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]}
])J";

std::map<std::string, PortTargets> targets() {
  return {{"web", {{80, "tcp"}}}, {"metrics", {{9000, "udp"}, {9001, "udp"}}}};
}

}  // namespace

TEST_CASE("ps rows: the infra is left out, its networks are the members'", "[engine][ps]") {
  auto rows = parse_ps_rows(kPs);
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  const auto& web = rows->at(0);
  CHECK(web.name == "demo-web-1");
  CHECK(web.command == "httpd -f -p 80 -h /var/www/html");
  CHECK(web.health == "healthy");
  CHECK(web.networks == std::vector<std::string>{"demo_default"});
  CHECK(web.started_at == 1010);
  CHECK(web.exited_at == 0);
  // podman's range 2 is two ports
  CHECK(web.publishers == std::vector<PsPublisher>{{"0.0.0.0", 80, 8080, "tcp"},
                                                   {"127.0.0.1", 9000, 9000, "udp"},
                                                   {"127.0.0.1", 9001, 9001, "udp"}});
  CHECK(rows->at(1).health == "starting");
  // qpod's two labels, read by observe's rule (podman/labels.h): the job lacks the config hash, as
  // someone else's.
  CHECK(web.hash == "h1");
  CHECK(podman::labels::has_qpod_labels(web.service, web.hash));
  CHECK_FALSE(podman::labels::has_qpod_labels(rows->at(1).service, rows->at(1).hash));
}

TEST_CASE("ps rows keep only their own service's ports, none when not running", "[engine][ps]") {
  auto rows = parse_ps_rows(kPs);
  REQUIRE(rows);
  keep_own_ports(*rows, targets());
  CHECK(rows->at(0).publishers == std::vector<PsPublisher>{{"0.0.0.0", 80, 8080, "tcp"}});
  CHECK(rows->at(1).publishers.empty());  // exited
  auto metrics = parse_ps_rows(kPs).value();
  metrics[0].service = "metrics";
  keep_own_ports(metrics, targets());
  CHECK(displayable_ports(metrics[0].publishers) == "127.0.0.1:9000-9001->9000-9001/udp");
  auto oneoff = parse_ps_rows(kPs).value();
  oneoff[0].oneoff = true;  // a `run` container or the QPOD environment's
  keep_own_ports(oneoff, targets());
  CHECK(oneoff[0].publishers.empty());
}

TEST_CASE("ps status in docker's words, the health only while running", "[engine][ps]") {
  PsRow r;
  r.state = "running";
  r.started_at = 100;
  CHECK(docker_status(r, 102) == "Up 2 seconds");
  r.health = "healthy";
  CHECK(docker_status(r, 100) == "Up Less than a second (healthy)");
  r.health = "starting";
  CHECK(docker_status(r, 101) == "Up 1 second (health: starting)");
  r.health = "unhealthy";
  CHECK(docker_status(r, 100 + 3 * 60) == "Up 3 minutes (unhealthy)");
  r.state = "exited";
  r.exit_code = 137;
  r.exited_at = 200;
  CHECK(docker_status(r, 203) == "Exited (137) 3 seconds ago");
  r.state = "paused";
  CHECK(docker_status(r, 100 + 90) == "Up About a minute (Paused)");
  PsRow created;
  created.state = "created";
  CHECK(docker_status(created, 5) == "Created");
}

TEST_CASE("durations as go-units HumanDuration words them", "[engine][ps]") {
  CHECK(human_duration(0) == "Less than a second");
  CHECK(human_duration(59) == "59 seconds");
  CHECK(human_duration(119) == "About a minute");
  CHECK(human_duration(59 * 60) == "59 minutes");
  CHECK(human_duration(3600 + 1700) == "About an hour");
  CHECK(human_duration(47 * 3600) == "47 hours");
  CHECK(human_duration(3 * 86400) == "3 days");
  CHECK(human_duration(21 * 86400) == "3 weeks");
  CHECK(human_duration(90 * 86400) == "3 months");
  CHECK(human_duration(800 * 86400) == "2 years");
}

TEST_CASE("ports as docker's DisplayablePorts groups them", "[engine][ps]") {
  CHECK(displayable_ports({}) == "");
  CHECK(displayable_ports({{"0.0.0.0", 80, 8080, "tcp"}, {"::", 80, 8080, "tcp"}}) ==
        "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
  CHECK(displayable_ports({{"0.0.0.0", 8001, 8001, "tcp"},
                           {"0.0.0.0", 8000, 8000, "tcp"},
                           {"0.0.0.0", 8003, 8003, "tcp"},
                           {"0.0.0.0", 53, 53, "udp"}}) ==
        "0.0.0.0:8000-8001->8000-8001/tcp, 0.0.0.0:53->53/udp, 0.0.0.0:8003->8003/tcp");
}

TEST_CASE("ps commands are quoted as strconv.Quote, ellipsized at 20", "[engine][ps]") {
  CHECK(quoted_command("sleep 300", true) == "\"sleep 300\"");
  CHECK(quoted_command("httpd -f -p 80 -h /var/www/html", true) == "\"httpd -f -p 80 -h /\u2026\"");
  CHECK(quoted_command("sh -c \"echo a\tb\"", false) == "\"sh -c \\\"echo a\\tb\\\"\"");
}

TEST_CASE("ps table: docker compose's columns, own ports and status", "[engine][ps]") {
  auto rows = parse_ps_rows(kPs).value();
  keep_own_ports(rows, targets());
  CHECK(ps_table(rows, 1060) ==
        "NAME         IMAGE             COMMAND                  SERVICE   CREATED              "
        "STATUS                      PORTS\n"
        "demo-web-1   localhost/web:1   \"httpd -f -p 80 -h /\u2026\"   web       About a minute "
        "ago   Up 50 seconds (healthy)     0.0.0.0:8080->80/tcp\n"
        "demo-job-1   localhost/job:1   \"true\"                   job       About a minute ago   "
        "Exited (3) 10 seconds ago\n");
}

TEST_CASE("ps --format json: docker compose's fields, one object a line", "[engine][ps]") {
  auto rows = parse_ps_rows(kPs).value();
  keep_own_ports(rows, targets());
  std::string out = ps_json(rows, 1060, true);
  INFO(out);
  auto nl = out.find('\n');
  REQUIRE(nl != std::string::npos);
  auto web = nlohmann::json::parse(out.substr(0, nl));
  auto job = nlohmann::json::parse(out.substr(nl + 1));
  CHECK(web["ID"] == "aaaaaaaaaaaa");
  CHECK(web["Name"] == "demo-web-1");
  CHECK(web["Command"] == "\"httpd -f -p 80 -h /\u2026\"");
  CHECK(web["Project"] == "demo");
  CHECK(web["Service"] == "web");
  CHECK(web["State"] == "running");
  CHECK(web["Health"] == "healthy");
  CHECK(web["Status"] == "Up 50 seconds (healthy)");
  CHECK(web["ExitCode"] == 0);
  CHECK(web["Networks"] == "demo_default");
  CHECK(web["Ports"] == "0.0.0.0:8080->80/tcp");
  CHECK(web["Publishers"] ==
        nlohmann::json::parse(
            R"([{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"}])"));
  CHECK(web["RunningFor"] == "About a minute ago");
  // docker's order: the row's keys sorted (a Go map), a publisher's in its struct's field order
  CHECK(out.find(R"("Publishers":[{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,)"
                 R"("Protocol":"tcp"}],"RunningFor")") != std::string::npos);
  CHECK(out.rfind(R"({"Command":)", 0) == 0);
  CHECK(job["Health"] == "");  // podman keeps "(starting)" on an exited container
  CHECK(job["ExitCode"] == 3);
  CHECK(job["Publishers"] == nlohmann::json::array());
  std::string untruncated = ps_json(rows, 1060, false);
  auto full = nlohmann::json::parse(untruncated.substr(0, untruncated.find('\n')));
  CHECK(full["ID"] == "aaaaaaaaaaaaaaaa");
  CHECK(full["Command"] == "\"httpd -f -p 80 -h /var/www/html\"");
}

TEST_CASE("ps health: a check is due one interval after the last or the start", "[engine][ps]") {
  CHECK(parse_rfc3339("2026-12-06T22:53:50.99171211Z") == 1796597630);
  CHECK(parse_rfc3339("2026-12-06T23:53:50+01:00") == 1796597630);
  CHECK(parse_rfc3339("0001-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("yesterday") == 0);
  auto h = parse_health(R"([
    {"Id":"a","Config":{"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":2000000000}},
     "State":{"StartedAt":"2026-12-06T22:53:40Z","Health":{"Status":"healthy",
       "Log":[{"End":"2026-12-06T22:53:50.5Z"}]}}},
    {"Id":"b","Config":{"Healthcheck":{"Test":["CMD","true"]}},
     "State":{"StartedAt":"2026-12-06T22:53:40Z","Health":{"Status":"","Log":null}}},
    {"Id":"c","Config":{},"State":{}}])");
  REQUIRE(h);
  REQUIRE(h->size() == 2);
  CHECK(h->at("a").status == "healthy");
  CHECK(h->at("a").interval_s == 2);
  CHECK_FALSE(health_stale(h->at("a"), 1796597631));
  CHECK(health_stale(h->at("a"), 1796597632));
  CHECK(h->at("b").status == "starting");  // never checked
  CHECK(h->at("b").interval_s == 30);
  CHECK_FALSE(health_stale(h->at("b"), 1796597620 + 29));
  CHECK(health_stale(h->at("b"), 1796597620 + 30));
}

TEST_CASE("ps health: stale checks run once, podman's status is read after", "[engine][ps]") {
  FakeRuntime rt;
  std::string stale = R"([{"Id":"aaaaaaaaaaaaaaaa","Config":{"Healthcheck":{"Test":["CMD","true"],
    "Interval":1000000000}},"State":{"StartedAt":"2026-12-06T22:53:40Z","Health":{"Status":"starting"}}}])";
  std::string fresh = R"([{"Id":"aaaaaaaaaaaaaaaa","Config":{"Healthcheck":{"Test":["CMD","true"],
    "Interval":1000000000}},"State":{"StartedAt":"2026-12-06T22:53:40Z","Health":{"Status":"healthy",
    "Log":[{"End":"2026-12-06T22:53:59Z"}]}}}])";
  rt.reply("container inspect", podman::RunResult{0, stale, ""}, true);
  rt.reply("container inspect", podman::RunResult{0, fresh, ""});
  auto rows = parse_ps_rows(kPs).value();
  rows[0].health = "starting";
  refresh_health(rt, rows, 1796597630);
  CHECK(rows[0].health == "healthy");
  CHECK(rows[1].health == "starting");  // exited: not inspected (and not shown by docker_status)
  CHECK(rt.calls() == std::vector<std::string>{"container inspect aaaaaaaaaaaaaaaa",
                                               "healthcheck run aaaaaaaaaaaaaaaa",
                                               "container inspect aaaaaaaaaaaaaaaa"});
}

TEST_CASE("ps rows take their ports from their container's label, with no Compose file",
          "[engine][ps]") {
  // `ps -p NAME` alone: no project file, so no service's ports but what the labels say.
  auto rows = parse_ps_rows(kPs).value();
  rows[0].labels["io.qpod.ports"] = "9000-9001/udp";
  rows[1].labels["io.qpod.ports"] = "80/tcp";
  keep_own_ports(rows, {});
  CHECK(displayable_ports(rows[0].publishers) == "127.0.0.1:9000-9001->9000-9001/udp");
  CHECK(rows[1].publishers.empty());  // exited: none, label or not
  // The label is what the container was created with: it wins over the file's (newer) ports.
  auto labelled = parse_ps_rows(kPs).value();
  labelled[0].labels["io.qpod.ports"] = "80/tcp";
  keep_own_ports(labelled, {{"web", {{9000, "udp"}}}});
  CHECK(displayable_ports(labelled[0].publishers) == "0.0.0.0:8080->80/tcp");
  // A container of an older qpod, without the label, and no file: no ports to attribute.
  auto old = parse_ps_rows(kPs).value();
  keep_own_ports(old, {});
  CHECK(old[0].publishers.empty());
}
