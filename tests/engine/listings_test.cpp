// images / ls / port output, from podman's JSON to docker compose's tables.
#include "engine/listings.h"

#include <catch2/catch.hpp>

using namespace qpod::engine;

TEST_CASE("tables are laid out as docker's tabwriter does", "[engine][commands]") {
  CHECK(format_table(
            {{"NAME", "STATUS", "CONFIG FILES"}, {"a-rather-long-project-name", "x", "y"}}) ==
        "NAME                         STATUS              CONFIG FILES\n"
        "a-rather-long-project-name   x                   y\n");
}

TEST_CASE("sizes and IDs are shortened as docker prints them", "[engine][commands]") {
  CHECK(human_size(2136713) == "2.14MB");
  CHECK(human_size(512) == "512B");
  CHECK(human_size(1500000000) == "1.5GB");
  CHECK(human_size(0) == "0B");
  CHECK(short_id("sha256:51ac3a39d11e7ee96392b149391fda0e") == "51ac3a39d11e");
  CHECK(short_id("51ac3a39d11e7ee9") == "51ac3a39d11e");
  CHECK(split_image_ref("localhost/qpod-busybox:latest") ==
        std::pair<std::string, std::string>{"localhost/qpod-busybox", "latest"});
  CHECK(split_image_ref("docker.io/library/nginx:1.25") ==
        std::pair<std::string, std::string>{"nginx", "1.25"});
  CHECK(split_image_ref("registry:5000/app") ==
        std::pair<std::string, std::string>{"registry:5000/app", ""});
}

TEST_CASE("images: table, JSON and unique IDs", "[engine][commands]") {
  auto info = parse_image_inspect(R"([{"Id":"51ac3a39d11e7ee9","Size":2136713}])");
  REQUIRE(info);
  CHECK(info->at("51ac3a39d11e7ee9").size == 2136713);
  std::vector<ImageRow> rows{
      {"demo-db-1", "localhost/qpod-busybox", "latest", "51ac3a39d11e7ee9", 2136713},
      {"demo-web-1", "localhost/qpod-busybox", "", "51ac3a39d11e7ee9", 2136713}};
  CHECK(
      images_table(rows) ==
      "CONTAINER           REPOSITORY               TAG                 IMAGE ID            SIZE\n"
      "demo-db-1           localhost/qpod-busybox   latest              51ac3a39d11e        "
      "2.14MB\n"
      "demo-web-1          localhost/qpod-busybox   <none>              51ac3a39d11e        "
      "2.14MB\n");
  CHECK(image_ids(rows) == std::vector<std::string>{"51ac3a39d11e7ee9"});
  CHECK(
      images_json({rows[0]}) ==
      R"([{"ContainerName":"demo-db-1","ID":"51ac3a39d11e7ee9","Repository":"localhost/qpod-busybox","Size":2136713,"Tag":"latest"}])"
      "\n");
}

TEST_CASE("ls: projects grouped by label, with combined status and config files",
          "[engine][commands]") {
  CHECK(combined_status({"running", "exited", "running"}) == "exited(1), running(2)");
  auto rows = projects_from_ps(R"([
    {"State":"running","Labels":{"io.qpod.project":"web","io.qpod.config-files":"/a/compose.yaml"}},
    {"State":"exited","Labels":{"io.qpod.project":"web","io.qpod.config-files":"/a/compose.yaml,/a/override.yaml"}},
    {"State":"running","IsInfra":true,"Labels":{"io.qpod.project":"web"}},
    {"State":"running","Labels":{"io.qpod.project":"api"}}
  ])");
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  CHECK(projects_table(*rows) ==
        "NAME                STATUS                  CONFIG FILES\n"
        "api                 running(1)              N/A\n"
        "web                 exited(1), running(1)   /a/compose.yaml,/a/override.yaml\n");
  CHECK(projects_json({rows->at(0)}) ==
        R"J([{"ConfigFiles":"N/A","Name":"api","Status":"running(1)"}])J"
        "\n");
  CHECK(!projects_from_ps("not json"));
}

TEST_CASE("port: the pod's binding for target/protocol", "[engine][commands]") {
  std::string pod = R"({"Name":"demo","InfraConfig":{"PortBindings":{
    "80/tcp":[{"HostIp":"","HostPort":"8080"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}]}}})";
  CHECK(published_port(pod, 80, "tcp").value() == "0.0.0.0:8080");
  CHECK(published_port(pod, 53, "udp").value() == "127.0.0.1:5353");
  CHECK(published_port(pod, 53, "tcp").value().empty());
  CHECK(published_port("[" + pod + "]", 80, "tcp").value() == "0.0.0.0:8080");  // podman 5
}
