#include "engine/doctor.h"

#include <catch2/catch.hpp>

#include "tests/engine/fake_runtime.h"

using namespace qpod::engine;
namespace podman = qpod::podman;
using namespace qpod::engine::testing;

TEST_CASE("doctor: containers.conf settings, later files win", "[engine][doctor]") {
  auto conf = podman::parse_containers_conf({R"(
[engine]
runtime = "crun"
)",
                                             R"(
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]  # needed here
[engine]
runtime = "runc"
)"});
  CHECK(conf.runtime == "runc");
  CHECK(conf.default_ulimits ==
        std::vector<std::string>{"nofile=20000:20000", "nproc=32768:32768"});
}

TEST_CASE("doctor: each check with its fix", "[engine][doctor]") {
  FakeRuntime rt;
  rt.reply("version", {0, R"({"Client":{"Version":"4.3.1"}})", ""});
  rt.reply("info", {0, R"({"host":{"ociRuntime":{"name":"crun"},"cgroupVersion":"v1",
                               "cgroupManager":"cgroupfs"}})",
                    ""});
  rt.reply("image exists", {1, "", ""});
  auto checks = doctor(rt, podman::parse_containers_conf({}));
  REQUIRE(checks.size() == 5);
  CHECK(checks[0].status == Check::Status::Ok);
  CHECK(checks[0].detail == "podman 4.3.1");
  CHECK(checks[1].status == Check::Status::Fail);
  CHECK(checks[1].fix.find("runtime = \"runc\"") != std::string::npos);
  CHECK(checks[2].name == "cgroups");  // v1 with crun: needs runc
  CHECK(checks[2].status == Check::Status::Fail);
  CHECK(checks[2].fix.find("runtime = \"runc\"") != std::string::npos);
  CHECK(checks[3].status == Check::Status::Fail);
  CHECK(checks[3].fix.find("default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]") !=
        std::string::npos);
  CHECK(checks[4].status == Check::Status::Skip);

  FakeRuntime v2;
  v2.reply("version", {0, R"({"Client":{"Version":"4.3.1"}})", ""});
  v2.reply("info", {0, R"({"host":{"ociRuntime":{"name":"runc"},"cgroupVersion":"v2",
                               "cgroupManager":"cgroupfs"}})",
                    ""});
  v2.reply("image exists", {1, "", ""});
  checks = doctor(v2, {});
  REQUIRE(checks.size() == 5);
  CHECK(checks[2].status == Check::Status::Ok);
  CHECK(checks[2].detail.find("cgroups v2") == 0);

  FakeRuntime missing;
  missing.reply("version", {127, "", "cannot run podman: not found"});
  checks = doctor(missing, {});
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].status == Check::Status::Fail);
}
