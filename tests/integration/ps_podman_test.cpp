// qpod ps on real podman: each row's own ports (podman shows the pod's on every member), the
// health podman holds now in docker's words, and docker compose's JSON fields.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/podman_fixture.h"
#include "tests/support/eventually.h"

using qpod::it::ProjectGuard;
using qpod::testing::eventually;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The row of `container` in ps's table ("" when it has none).
std::string row_of(const std::string& table, const std::string& container) {
  for (const auto& line : ProjectGuard::lines(table))
    if (line.rfind(container + " ", 0) == 0) return line;
  return "";
}

// `ps --format json`: one object a line, by name.
std::map<std::string, nlohmann::json> json_rows(const std::string& out) {
  std::map<std::string, nlohmann::json> rows;
  for (const auto& line : ProjectGuard::lines(out)) {
    auto j = nlohmann::json::parse(line);
    rows[j["Name"].get<std::string>()] = j;
  }
  return rows;
}

std::string service(const std::string& name, const std::string& command,
                    const std::string& rest = "") {
  return "  " + name + ":\n    image: " + qpod::it::kImage + "\n    command: " + command + "\n" +
         rest;
}

}  // namespace

TEST_CASE("ps shows each container's own ports and none on an exited one", "[podman][ps]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5out-psports"));
  int port = 30000 + getpid() % 10000;
  std::string web = std::to_string(port), api = std::to_string(port + 1),
              job = std::to_string(port + 2);
  p.write("compose.yaml",
          "services:\n" + service("web", "[sleep, \"300\"]", "    ports: [\"" + web + ":80\"]\n") +
              service("api", "[sleep, \"300\"]",
                      "    ports: [\"" + api + ":81\", \"" + api + ":81/udp\"]\n") +
              service("job", "[\"true\"]", "    ports: [\"" + job + ":82\"]\n"));
  auto up = p.qpod({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  REQUIRE(qpod::it::podman({"wait", p.name() + "-job-1"}).ok());

  auto ps = p.qpod({"ps", "-a"});
  INFO(ps.out << ps.err);
  REQUIRE(ps.exit_code == 0);
  CHECK(contains(ps.out, "NAME "));
  std::string web_row = row_of(ps.out, p.name() + "-web-1");
  std::string api_row = row_of(ps.out, p.name() + "-api-1");
  std::string job_row = row_of(ps.out, p.name() + "-job-1");
  CHECK(web_row.ends_with("0.0.0.0:" + web + "->80/tcp"));
  CHECK(api_row.ends_with("0.0.0.0:" + api + "->81/tcp, 0.0.0.0:" + api + "->81/udp"));
  CHECK(contains(job_row, "Exited (0) "));
  CHECK(job_row.ends_with(" ago"));  // no ports after the status
  CHECK_FALSE(contains(web_row, api));
  CHECK(contains(web_row, "\"sleep 300\""));
  CHECK(contains(web_row, "Up "));

  auto js = p.qpod({"ps", "-a", "--format", "json"});
  INFO(js.out << js.err);
  REQUIRE(js.exit_code == 0);
  auto rows = json_rows(js.out);
  REQUIRE(rows.size() == 3);
  const auto& w = rows[p.name() + "-web-1"];
  CHECK(w["Publishers"] ==
        nlohmann::json::parse(R"([{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":)" + web +
                              R"(,"Protocol":"tcp"}])"));
  CHECK(w["Command"] == "\"sleep 300\"");
  CHECK(w["Project"] == p.name());
  CHECK(w["Service"] == "web");
  CHECK(w["State"] == "running");
  CHECK(w["Health"] == "");
  CHECK(w["ID"] == qpod::it::inspect(p.name() + "-web-1", "{{.Id}}").substr(0, 12));
  const auto& j = rows[p.name() + "-job-1"];
  CHECK(j["Publishers"] == nlohmann::json::array());
  CHECK(j["State"] == "exited");
  CHECK(j["ExitCode"] == 0);
  CHECK(contains(j["Status"].get<std::string>(), "Exited (0)"));
  CHECK(p.qpod({"ps", "--format", "json", "--no-trunc", "web"})
            .out.find(qpod::it::inspect(p.name() + "-web-1", "{{.Id}}")) != std::string::npos);
  auto typo = p.qpod({"ps", "wbe"});
  CHECK(typo.exit_code == 1);
  CHECK(typo.err == "no such service: wbe (did you mean web?)\n");
  // docker's words: a container up left alone is Running; down names each container it removes
  auto again = p.qpod({"up", "-d", "web", "api"});
  CHECK(contains(again.out, "Container " + p.name() + "-web-1  Running\n"));
  CHECK(contains(again.out, "Container " + p.name() + "-api-1  Running\n"));
  auto down = p.qpod({"down", "-t", "0"});
  CHECK(down.exit_code == 0);
  for (const char* s : {"web", "api", "job"})
    CHECK(contains(down.out, "Container " + p.name() + "-" + s + "-1  Removed\n"));
}

TEST_CASE("ps shows the health podman holds now, in docker's words", "[podman][ps]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5out-pshealth"));
  std::string check = "    healthcheck: {test: [CMD, \"true\"], interval: 1s}\n";
  p.write("compose.yaml",
          "services:\n" + service("ok", "[sleep, \"300\"]", check) +
              service("sick", "[sleep, \"300\"]",
                      "    healthcheck: {test: [CMD, \"false\"], interval: 1s, retries: 1}\n") +
              service("done", "[sleep, \"1\"]", check));
  auto up = p.qpod({"up", "-d"});  // no --wait: nothing ran a check yet
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  std::string last;
  // The checks are due one interval after the start: ps runs them, as docker's daemon would.
  CHECK(eventually([&] {
    last = p.qpod({"ps"}).out;
    return contains(row_of(last, p.name() + "-ok-1"), "(healthy)") &&
           contains(row_of(last, p.name() + "-sick-1"), "(unhealthy)");
  }));
  INFO(last);
  REQUIRE(qpod::it::podman({"wait", p.name() + "-done-1"}).ok());
  auto rows = json_rows(p.qpod({"ps", "-a", "--format", "json"}).out);
  CHECK(rows[p.name() + "-ok-1"]["Health"] == "healthy");
  CHECK(rows[p.name() + "-sick-1"]["Health"] == "unhealthy");
  // podman says "Exited (0) 1 second ago (starting)"; docker has no health on an exited one
  CHECK(rows[p.name() + "-done-1"]["Health"] == "");
  CHECK_FALSE(contains(rows[p.name() + "-done-1"]["Status"].get<std::string>(),
                       "("
                       "starting)"));
  CHECK(contains(rows[p.name() + "-done-1"]["Status"].get<std::string>(), "Exited (0)"));
  CHECK(p.qpod({"down", "-t", "0"}).exit_code == 0);
}

TEST_CASE("up: a missing local image is one error at its image line, nothing created",
          "[podman][ps]") {
  qpod::it::require_podman();
  ProjectGuard p(qpod::it::project_name("s5out-noimage"));
  p.write("compose.yaml", "services:\n  web:\n    image: localhost/qpod-no-such-image:1\n");
  auto up = p.qpod({"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK(up.err == "Error: " + (p.dir() / "compose.yaml").string() +
                      ":3:12: services.web.image: image localhost/qpod-no-such-image:1 is not "
                      "here, and localhost/ is no registry to pull it from: is it in `podman "
                      "images`? the name may be misspelled, or no registry has it\n");
  CHECK(p.leftovers() == "");
}
