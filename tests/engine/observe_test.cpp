#include "engine/observe.h"

#include <catch2/catch.hpp>

#include "tests/engine/fake_runtime.h"

using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

// Trimmed from podman 4.3.1 `ps -a --format json`: the pod's infra container and one service.
constexpr const char* kPs = R"([
  {"Id": "562ad6", "IsInfra": true, "Names": ["demo-infra"], "State": "running",
   "Labels": {"io.qpod.project": "demo"}},
  {"Command": ["httpd", "-f", "-p", "80"], "Created": 1795561060, "ExitCode": 0,
   "Id": "bcf7ed", "Image": "localhost/qpod-busybox:latest", "IsInfra": false,
   "Labels": {"io.qpod.project": "demo", "io.qpod.service": "web",
              "io.qpod.config-hash": "abc", "io.qpod.oneoff": "False"},
   "Names": ["demo-web-1"], "Pod": "8e8639",
   "Ports": [{"host_ip": "", "container_port": 80, "host_port": 18080, "range": 1,
              "protocol": "tcp"}],
   "StartedAt": 1795561061, "State": "running", "Status": "Up 1 second ago"}
])";

}  // namespace

TEST_CASE("observe: containers by label, the infra container left out", "[engine][observe]") {
  FakeRuntime rt;
  rt.reply("ps --all --filter label=io.qpod.project=demo", {0, kPs, ""});
  rt.reply("pod ps", {0, R"([{"Id": "8e8639", "Name": "demo", "Status": "Running",
                             "Labels": {"io.qpod.config-hash": "pod1"}}])",
                      ""});
  auto obs = observe(rt, "demo");
  REQUIRE(obs.ok());
  REQUIRE(obs->containers.size() == 1);
  const auto* web = obs->find("web");
  REQUIRE(web);
  CHECK(web->name == "demo-web-1");
  CHECK(web->hash == "abc");
  CHECK(web->running());
  CHECK(web->ports == "0.0.0.0:18080->80/tcp");
  CHECK(web->command == std::vector<std::string>{"httpd", "-f", "-p", "80"});
  REQUIRE(obs->pod);
  CHECK(obs->pod->hash == "pod1");
  CHECK(rt.calls().size() == 2);  // no volume or network listing unless asked
}

TEST_CASE("observe: nothing there, volumes and networks when asked", "[engine][observe]") {
  FakeRuntime rt;
  rt.reply("ps", {0, "[]", ""});
  rt.reply("pod ps", {0, "[]\n", ""});
  rt.reply("volume ls", {0, R"([{"Name": "demo_data", "Labels": {"io.qpod.project": "demo"}},
                                {"Name": "other", "Labels": {}}])",
                         ""});
  rt.reply("network ls", {0, R"([{"name": "podman", "labels": null}])", ""});
  auto obs = observe(rt, "demo", {true, true, {}});
  REQUIRE(obs.ok());
  CHECK_FALSE(obs->pod);
  CHECK(obs->containers.empty());
  CHECK(obs->volumes == std::set<std::string>{"demo_data", "other"});
  CHECK(obs->project_volumes == std::set<std::string>{"demo_data"});
  CHECK(obs->networks == std::set<std::string>{"podman"});
  CHECK(obs->project_networks.empty());
}

TEST_CASE("observe: podman failures are diagnostics", "[engine][observe]") {
  FakeRuntime rt;
  rt.reply("ps", {125, "", "Error: cannot connect"});
  rt.reply("pod ps", {0, "not json", ""});
  auto obs = observe(rt, "demo");
  REQUIRE_FALSE(obs.ok());
  REQUIRE(obs.errors().size() == 2);
  CHECK(obs.errors()[0].message.find("Error: cannot connect") != std::string::npos);
  CHECK(obs.errors()[1].message.find("cannot parse podman's JSON") != std::string::npos);
}

TEST_CASE("observe: containers qpod did not create are foreign", "[engine][observe]") {
  FakeRuntime rt;
  // web: qpod's, in the pod. stranger: only the project label (podman run --label). copied:
  // qpod's labels but in another pod. The pod's infra publishes 18080 and 9000-9001/udp.
  rt.reply("ps", {0, R"([
  {"Id": "562ad6", "IsInfra": true, "Names": ["demo-infra"], "Pod": "8e8639",
   "Labels": {"io.qpod.project": "demo"},
   "Ports": [{"host_ip": "", "container_port": 80, "host_port": 18080, "range": 1,
              "protocol": "tcp"},
             {"host_ip": "127.0.0.1", "container_port": 9000, "host_port": 9000, "range": 2,
              "protocol": "udp"}]},
  {"Id": "bcf7ed", "Names": ["demo-web-1"], "Pod": "8e8639", "State": "running",
   "Labels": {"io.qpod.project": "demo", "io.qpod.service": "web",
              "io.qpod.config-hash": "abc"}},
  {"Id": "f00001", "Names": ["stranger"], "Pod": "", "State": "running",
   "Labels": {"io.qpod.project": "demo"}},
  {"Id": "f00002", "Names": ["copied"], "Pod": "otherpod", "State": "running",
   "Labels": {"io.qpod.project": "demo", "io.qpod.service": "web",
              "io.qpod.config-hash": "abc"}}
])",
                  ""});
  // guest: in the pod without the label (podman run --pod demo).
  rt.reply("pod ps", {0, R"([{"Id": "8e8639", "Name": "demo", "Status": "Running",
    "InfraId": "562ad6", "Labels": {"io.qpod.config-hash": "pod1"},
    "Containers": [{"Id": "562ad6", "Names": "demo-infra"}, {"Id": "bcf7ed", "Names": "demo-web-1"},
                   {"Id": "f00003", "Names": "guest"}]}])",
                      ""});
  auto obs = observe(rt, "demo");
  REQUIRE(obs.ok());
  REQUIRE(obs->containers.size() == 1);
  CHECK(obs->containers[0].name == "demo-web-1");
  std::vector<std::string> foreign;
  for (const auto& c : obs->foreign) foreign.push_back(c.name);
  CHECK(foreign == std::vector<std::string>{"stranger", "copied", "guest"});
  CHECK(obs->foreign[2].pod_id == "8e8639");
  REQUIRE(obs->pod);
  std::vector<std::string> ports;
  for (const auto& hp : obs->pod->ports)
    ports.push_back(hp.ip + ":" + std::to_string(hp.port) + "/" + hp.protocol);
  CHECK(ports ==
        std::vector<std::string>{":18080/tcp", "127.0.0.1:9000/udp", "127.0.0.1:9001/udp"});
}

TEST_CASE("made_by_qpod: qpod's service and config-hash labels, in the project's pod or none",
          "[engine][observe]") {
  ObservedPod pod{"p1", "demo", "Running", "h"};
  ObservedContainer c;
  c.service = "web";
  c.hash = "abc";
  c.pod_id = "p1";
  CHECK(made_by_qpod(c, pod));
  c.pod_id = "";  // its pod is gone
  CHECK(made_by_qpod(c, pod));
  CHECK(made_by_qpod(c, std::nullopt));
  c.pod_id = "p2";
  CHECK_FALSE(made_by_qpod(c, pod));
  c.pod_id = "p1";
  c.hash = "";
  CHECK_FALSE(made_by_qpod(c, pod));
  c.hash = "abc";
  c.service = "";
  CHECK_FALSE(made_by_qpod(c, pod));
}
