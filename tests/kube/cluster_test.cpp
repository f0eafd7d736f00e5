// kube generate --mode cluster: readiness gates, Jobs and alias Services, read back with yaml-cpp.
// (tests/kube/openapi/check validates the same YAML against the Kubernetes OpenAPI schemas.)
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "kube/cluster_detail.h"
#include "tests/kube/manifest_reader.h"
#include "tests/support/temp_dir.h"

using namespace qpod;

namespace {

struct Cluster : qpod::testing::KubeManifest {
  YAML::Node pod_spec(const std::string& kind, const std::string& name) const {
    return doc(kind, name)["spec"]["template"]["spec"];
  }
  std::vector<std::string> names(const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& d : docs)
      if (d["kind"].as<std::string>() == kind)
        out.push_back(d["metadata"]["name"].as<std::string>());
    return out;
  }
};

Cluster cluster(const qpod::testing::TempDir& dir, const std::string& yaml,
                kube::KubeOptions opts = {}) {
  opts.mode = "cluster";
  return {qpod::testing::generate_kube(dir, yaml, opts)};
}

std::vector<std::string> strings(const YAML::Node& seq) {
  std::vector<std::string> out;
  for (const auto& n : seq) out.push_back(n.as<std::string>());
  return out;
}

const char* kGated = R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    expose: ["53/udp", "5432", "6432"]
    healthcheck: {test: ["CMD", "true"]}
  cache:
    image: localhost/qpod-busybox:latest
    healthcheck: {test: ["CMD", "true"]}
  dns:
    image: localhost/qpod-busybox:latest
    expose: ["53/udp"]
    healthcheck: {test: ["CMD", "true"]}
  web:
    image: localhost/qpod-busybox:latest
    ports: ["8080"]
    depends_on:
      db: {condition: service_healthy}
      cache: {condition: service_healthy}
      dns: {condition: service_healthy}
      worker: {condition: service_started}
  worker:
    image: localhost/qpod-busybox:latest
)";

}  // namespace

TEST_CASE(
    "kube cluster: a service_healthy dependency is an initContainer that waits for its Service") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, kGated);
  auto init = c.pod_spec("Deployment", "web")["initContainers"];
  REQUIRE(init.size() == 1);  // db only: cache has no Service, dns no TCP port
  auto wait = init[0];
  CHECK(wait["name"].as<std::string>() == "wait-db");
  CHECK(wait["image"].as<std::string>() == kube::kDefaultWaitImage);
  CHECK(wait["image"].as<std::string>() == "docker.io/library/busybox:1.36");
  // The script is a constant; the host (db's Service) and its first TCP port come as env.
  CHECK(strings(wait["command"]) == std::vector<std::string>{"sh", "-c", kube::kWaitScript});
  CHECK(!wait["args"]);
  REQUIRE(wait["env"].size() == 2);
  CHECK(wait["env"][0]["name"].as<std::string>() == "QPOD_WAIT_HOST");
  CHECK(wait["env"][0]["value"].as<std::string>() == "db");
  CHECK(wait["env"][1]["name"].as<std::string>() == "QPOD_WAIT_PORT");
  CHECK(wait["env"][1]["value"].as<std::string>() == "5432");
  CHECK(!wait["readinessProbe"]);
  CHECK(c.doc("Service", "db")["spec"]["ports"].size() == 3);
  CHECK(c.warned("service web: depends_on cache (service_healthy): cache has no Service"));
  CHECK(c.warned("service web: depends_on dns (service_healthy): dns has no TCP port to wait for"));
  CHECK(c.warned("service web: depends_on worker (service_started): Deployments start together"));
  CHECK(!c.warned("depends_on db"));
  CHECK(!c.pod_spec("Deployment", "worker")["initContainers"]);
}

TEST_CASE(
    "kube cluster: the wait image comes from --wait-image, else x-kube.wait-image, else busybox") {
  qpod::testing::TempDir dir;
  const std::string with_extension =
      std::string(kGated) + "x-kube:\n  wait-image: localhost/qpod-busybox:latest\n";
  auto from_file = cluster(dir, with_extension);
  CHECK(from_file.pod_spec("Deployment", "web")["initContainers"][0]["image"].as<std::string>() ==
        "localhost/qpod-busybox:latest");
  kube::KubeOptions o;
  o.wait_image = "registry.example/tools/wait:2";
  auto from_flag = cluster(dir, with_extension, o);
  CHECK(from_flag.pod_spec("Deployment", "web")["initContainers"][0]["image"].as<std::string>() ==
        "registry.example/tools/wait:2");
}

TEST_CASE("kube cluster: wait containers get names apart from the service's and each other's") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  wait-db:
    image: localhost/qpod-busybox:latest
    depends_on:
      db: {condition: service_healthy}
  db:
    image: localhost/qpod-busybox:latest
    expose: ["5432"]
    healthcheck: {test: ["CMD", "true"]}
)");
  auto spec = c.pod_spec("Deployment", "wait-db");
  CHECK(spec["containers"][0]["name"].as<std::string>() == "wait-db");
  CHECK(spec["initContainers"][0]["name"].as<std::string>() == "wait-db-2");
}

TEST_CASE(
    "kube cluster: a one-shot service waited for with service_completed_successfully is a Job") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  migrate:
    image: localhost/qpod-busybox:latest
    restart: "no"
  seed:
    image: localhost/qpod-busybox:latest
    restart: on-failure:3
    scale: 2
  daemon:
    image: localhost/qpod-busybox:latest
    restart: always
  app:
    image: localhost/qpod-busybox:latest
    depends_on:
      migrate: {condition: service_completed_successfully}
      seed: {condition: service_completed_successfully}
      daemon: {condition: service_completed_successfully}
)");
  CHECK(c.names("Job") == std::vector<std::string>{"migrate", "seed"});
  CHECK(c.names("Deployment") == std::vector<std::string>{"app", "daemon"});
  auto migrate = c.doc("Job", "migrate");
  CHECK(migrate["apiVersion"].as<std::string>() == "batch/v1");
  CHECK(migrate["spec"]["backoffLimit"].as<int>() == 0);
  CHECK(migrate["spec"]["completions"].as<int>() == 1);
  CHECK(!migrate["spec"]["selector"]);  // a Job makes its own
  CHECK(migrate["spec"]["template"]["spec"]["restartPolicy"].as<std::string>() == "Never");
  auto seed = c.doc("Job", "seed");
  CHECK(seed["spec"]["backoffLimit"].as<int>() == 3);
  CHECK(seed["spec"]["completions"].as<int>() == 2);
  CHECK(seed["spec"]["parallelism"].as<int>() == 2);
  CHECK(seed["spec"]["template"]["spec"]["restartPolicy"].as<std::string>() == "OnFailure");
  CHECK(!c.warned("service migrate: restart"));  // a Job's Pods need not restart
  CHECK(
      c.warned("service app: depends_on migrate (service_completed_successfully): migrate is a "
               "Job; its completion is not waited for"));
  CHECK(
      c.warned("service app: depends_on daemon (service_completed_successfully): daemon restarts "
               "(restart always)"));
}

TEST_CASE("kube cluster: network aliases are Services with the service's selector and ports") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    expose: ["5432"]
    networks:
      back: {aliases: [database, pg, db, Bad_Alias, 9lives, web]}
      front: {aliases: [database]}
  web:
    image: localhost/qpod-busybox:latest
    ports: ["8080:80"]
  quiet:
    image: localhost/qpod-busybox:latest
    networks:
      back: {aliases: [silent]}
networks:
  back: {}
  front: {}
)");
  CHECK(c.names("Service") == std::vector<std::string>{"db", "database", "pg", "web"});
  auto alias = c.doc("Service", "database");
  auto own = c.doc("Service", "db");
  CHECK(alias["spec"]["selector"]["app.kubernetes.io/name"].as<std::string>() == "db");
  CHECK(YAML::Dump(alias["spec"]) == YAML::Dump(own["spec"]));
  CHECK(c.warned("service db: networks aliases Bad_Alias: not a DNS-1035 label"));
  CHECK(c.warned("service db: networks aliases 9lives: not a DNS-1035 label"));
  CHECK(c.warned("service db: networks aliases web: a Service of that name is already written"));
  CHECK(c.warned("service quiet: networks aliases silent: no ports or expose"));
  CHECK(!c.warned("aliases db"));        // its own name: the service's Service
  CHECK(!c.warned("aliases database"));  // on two networks: one Service
}

TEST_CASE("kube cluster: Service names are DNS-1035 labels") {
  CHECK(kube::dns1035_label("db"));
  CHECK(kube::dns1035_label("web-2"));
  CHECK(kube::dns1035_label(std::string(63, 'a')));
  CHECK(!kube::dns1035_label(std::string(64, 'a')));
  CHECK(!kube::dns1035_label(""));
  CHECK(!kube::dns1035_label("2web"));
  CHECK(!kube::dns1035_label("web-"));
  CHECK(!kube::dns1035_label("Web"));
  CHECK(!kube::dns1035_label("web.local"));
  CHECK(!kube::dns1035_label("we_b"));
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  1web:
    image: localhost/qpod-busybox:latest
    ports: ["8080"]
  app:
    image: localhost/qpod-busybox:latest
    depends_on:
      1web: {condition: service_healthy}
)");
  CHECK(c.names("Service").empty());
  CHECK(c.warned("service 1web: its name (1web) is not a DNS-1035 label"));
  CHECK(c.warned("service app: depends_on 1web (service_healthy): 1web has no Service"));
}

TEST_CASE("kube cluster: an app_protocol is the Service port's appProtocol") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    ports:
      - {target: 443, published: "18443", app_protocol: https}
      - "8080"
)");
  auto ports = c.doc("Service", "web")["spec"]["ports"];
  REQUIRE(ports.size() == 2);
  CHECK(ports[0]["port"].as<int>() == 443);
  CHECK(ports[0]["appProtocol"].as<std::string>() == "https");
  CHECK(!ports[1]["appProtocol"]);
}

TEST_CASE("kube cluster: hostname and extra_hosts are the Pod's, a link alias is named") {
  qpod::testing::TempDir dir;
  auto c = cluster(dir, R"(
services:
  db:
    image: localhost/qpod-busybox:latest
    expose: ["5432"]
  web:
    image: localhost/qpod-busybox:latest
    hostname: web-host
    extra_hosts: ["gw=10.0.0.1", "gw2=10.0.0.1", "other:10.0.0.2", "host.local=host-gateway"]
    links: ["db:database", "db"]
  odd:
    image: localhost/qpod-busybox:latest
    hostname: Odd_Host
)");
  auto spec = c.pod_spec("Deployment", "web");
  CHECK(spec["hostname"].as<std::string>() == "web-host");
  REQUIRE(spec["hostAliases"].size() == 2);
  CHECK(spec["hostAliases"][0]["ip"].as<std::string>() == "10.0.0.1");
  CHECK(strings(spec["hostAliases"][0]["hostnames"]) == std::vector<std::string>{"gw", "gw2"});
  CHECK(spec["hostAliases"][1]["ip"].as<std::string>() == "10.0.0.2");
  CHECK(c.warned(
      "service web: extra_hosts host.local:host-gateway: host-gateway has no Kubernetes form"));
  CHECK(c.warned("service web: links db:database: the alias has no Service"));
  int link_warnings = 0;  // the plain link (db) resolves by the Service's name: not named
  for (const auto& w : c.m.warnings) link_warnings += w.find("links ") != std::string::npos;
  CHECK(link_warnings == 1);
  CHECK(!c.pod_spec("Deployment", "odd")["hostname"]);
  CHECK(c.warned("service odd: hostname Odd_Host: not a DNS-1123 label"));
}
