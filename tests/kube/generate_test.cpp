// kube generate, pod mode: the YAML read back with yaml-cpp, field by field.
#include "kube/generate.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kube/pod_detail.h"
#include "tests/kube/manifest_reader.h"
#include "tests/support/load_project.h"
#include "tests/support/temp_dir.h"

using namespace qpod;

namespace {

struct Generated : qpod::testing::KubeManifest {
  YAML::Node pod() const {
    for (const auto& d : docs)
      if (d["kind"].as<std::string>() == "Pod") return d;
    FAIL("no Pod document");
    return {};
  }
  YAML::Node container(const std::string& name, const char* list = "containers") const {
    for (const auto& c : pod()["spec"][list])
      if (c["name"].as<std::string>() == name) return c;
    FAIL("no container " << name << " in " << list << "\n" << m.yaml);
    return {};
  }
};

Generated generate(const qpod::testing::TempDir& dir, const std::string& yaml,
                   kube::KubeOptions opts = {}) {
  return {qpod::testing::generate_kube(dir, yaml, opts)};
}

}  // namespace

TEST_CASE(
    "kube generate: one Pod named as the project, a container per service, names as hostAliases") {
  qpod::testing::TempDir dir;
  auto g = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    entrypoint: ["/bin/env"]
    working_dir: /srv
    user: "1000:1001"
    environment:
      PORT: "8080"
      GREETING: "yes: a value, with # and quotes '\""
    ports: ["18080:8080", "18053:53/udp", "9090/udp"]
    networks:
      default:
        aliases: [www]
  db:
    image: localhost/qpod-busybox:latest
    hostname: database
    restart: always
)");
  auto pod = g.pod();
  CHECK(pod["apiVersion"].as<std::string>() == "v1");
  CHECK(pod["metadata"]["name"].as<std::string>() == "kubetest");
  CHECK(g.m.pod == "kubetest");
  CHECK(pod["spec"]["containers"].size() == 2);
  auto hosts = pod["spec"]["hostAliases"][0];
  CHECK(hosts["ip"].as<std::string>() == "127.0.0.1");
  std::vector<std::string> names = hosts["hostnames"].as<std::vector<std::string>>();
  CHECK(names == std::vector<std::string>{"db", "database", "web", "www"});

  auto web = g.container("web");
  CHECK(web["image"].as<std::string>() == "localhost/qpod-busybox:latest");
  CHECK(web["imagePullPolicy"].as<std::string>() == "IfNotPresent");
  CHECK(web["command"].as<std::vector<std::string>>() == std::vector<std::string>{"/bin/env"});
  CHECK(web["args"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"httpd", "-f", "-p", "8080"});
  CHECK(web["workingDir"].as<std::string>() == "/srv");
  CHECK(web["securityContext"]["runAsUser"].as<int>() == 1000);
  CHECK(web["securityContext"]["runAsGroup"].as<int>() == 1001);
  // Values stay strings: "8080" is quoted, not read back as a number.
  for (const auto& e : web["env"]) {
    const auto name = e["name"].as<std::string>();
    CHECK(e["value"].Tag() == "!");
    if (name == "PORT") CHECK(e["value"].as<std::string>() == "8080");
    if (name == "GREETING")
      CHECK(e["value"].as<std::string>() == "yes: a value, with # and quotes '\"");
  }
  CHECK(web["env"].size() == 2);
  // 9090 has no published port: left out (podman 4.3 would publish it as 9090).
  REQUIRE(web["ports"].size() == 2);
  CHECK(web["ports"][0]["containerPort"].as<int>() == 8080);
  CHECK(web["ports"][0]["hostPort"].as<int>() == 18080);
  CHECK(web["ports"][0]["protocol"].as<std::string>() == "TCP");
  CHECK(web["ports"][1]["containerPort"].as<int>() == 53);
  CHECK(web["ports"][1]["hostPort"].as<int>() == 18053);
  CHECK(web["ports"][1]["protocol"].as<std::string>() == "UDP");
  CHECK(g.warned("service web: ports 9090: a random host port"));
  // web says nothing (no = Never), db says always: the Pod takes the strongest, and says so.
  CHECK(pod["spec"]["restartPolicy"].as<std::string>() == "Always");
  CHECK(
      g.warned("service web: restart no: the Pod has one restartPolicy, Always (from service db)"));
}

TEST_CASE("kube generate: named volumes are PVC documents, binds hostPath, tmpfs an emptyDir") {
  qpod::testing::TempDir dir;
  dir.mkdir("site");
  auto g = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    volumes:
      - data:/var/data
      - ./site:/srv/site:ro
      - type: tmpfs
        target: /scratch
  worker:
    image: localhost/qpod-busybox:latest
    volumes: ["data:/data"]
volumes:
  data: {}
)");
  auto claim = g.doc("PersistentVolumeClaim", "kubetest-data");
  CHECK(claim["spec"]["accessModes"][0].as<std::string>() == "ReadWriteOnce");
  CHECK(g.m.claims == std::vector<std::string>{"kubetest-data"});
  auto pod = g.pod();
  // One Pod volume for the claim, used by both containers.
  int claims = 0;
  std::string host_vol, claim_vol;
  for (const auto& v : pod["spec"]["volumes"]) {
    if (v["persistentVolumeClaim"]) {
      ++claims;
      claim_vol = v["name"].as<std::string>();
      CHECK(v["persistentVolumeClaim"]["claimName"].as<std::string>() == "kubetest-data");
    }
    if (v["hostPath"]) {
      host_vol = v["name"].as<std::string>();
      CHECK(v["hostPath"]["path"].as<std::string>() == dir / "site");
    }
    if (v["emptyDir"]) CHECK(v["emptyDir"]["medium"].as<std::string>() == "Memory");
  }
  CHECK(claims == 1);
  auto mounts = g.container("web")["volumeMounts"];
  REQUIRE(mounts.size() == 3);
  CHECK(mounts[0]["name"].as<std::string>() == claim_vol);
  CHECK(mounts[0]["mountPath"].as<std::string>() == "/var/data");
  CHECK(mounts[1]["name"].as<std::string>() == host_vol);
  CHECK(mounts[1]["readOnly"].as<bool>());
  CHECK(mounts[2]["mountPath"].as<std::string>() == "/scratch");
  CHECK(g.container("worker")["volumeMounts"][0]["name"].as<std::string>() == claim_vol);

  kube::KubeOptions skip;
  skip.skip_claims = {"kubetest-data"};
  auto again = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    volumes: ["data:/var/data"]
volumes:
  data: {}
)",
                        skip);
  for (const auto& d : again.docs) CHECK(d["kind"].as<std::string>() != "PersistentVolumeClaim");
  CHECK(again.m.claims == std::vector<std::string>{"kubetest-data"});
}

TEST_CASE("kube generate: healthcheck as a liveness probe, resources, labels as annotations") {
  qpod::testing::TempDir dir;
  auto g = generate(dir, R"(
services:
  api:
    image: localhost/qpod-busybox:latest
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O- http://localhost:8080/ || exit 1"]
      interval: 5s
      timeout: 1500ms
      retries: 4
      start_period: 10s
    cpus: 0.5
    mem_limit: 64m
    labels:
      com.example.team: "core"
    annotations:
      note: "a note"
  job:
    image: localhost/qpod-busybox:latest
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
)");
  auto api = g.container("api");
  auto probe = api["livenessProbe"];
  CHECK(probe["exec"]["command"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"sh", "-c", "wget -q -O- http://localhost:8080/ || exit 1"});
  CHECK(probe["periodSeconds"].as<int>() == 5);
  CHECK(probe["timeoutSeconds"].as<int>() == 2);
  CHECK(probe["failureThreshold"].as<int>() == 4);
  CHECK(probe["initialDelaySeconds"].as<int>() == 10);
  CHECK(api["resources"]["limits"]["cpu"].as<std::string>() == "0.5");
  CHECK(api["resources"]["limits"]["memory"].as<std::string>() == std::to_string(64 * 1024 * 1024));
  auto job_probe = g.container("job")["livenessProbe"];
  CHECK(job_probe["exec"]["command"].as<std::vector<std::string>>() ==
        std::vector<std::string>{"test", "-f", "/ready"});
  CHECK(job_probe["periodSeconds"].as<int>() == 30);
  CHECK(job_probe["failureThreshold"].as<int>() == 3);
  auto ann = g.pod()["metadata"]["annotations"];
  CHECK(ann["com.example.team"].as<std::string>() == "core");
  CHECK(ann["note"].as<std::string>() == "a note");
}

TEST_CASE(
    "kube generate: a one-shot dependency every dependant waits for to complete is an "
    "initContainer") {
  qpod::testing::TempDir dir;
  auto g = generate(dir, R"(
services:
  migrate:
    image: localhost/qpod-busybox:latest
    command: ["true"]
  seed:
    image: localhost/qpod-busybox:latest
    depends_on:
      migrate: {condition: service_completed_successfully}
  app:
    image: localhost/qpod-busybox:latest
    depends_on:
      migrate: {condition: service_completed_successfully}
      seed: {condition: service_completed_successfully}
      cache: {condition: service_healthy}
  cache:
    image: localhost/qpod-busybox:latest
  side:
    image: localhost/qpod-busybox:latest
    depends_on:
      cache: {condition: service_completed_successfully}
)");
  auto init = g.pod()["spec"]["initContainers"];
  REQUIRE(init.size() == 2);
  CHECK(init[0]["name"].as<std::string>() == "migrate");  // in dependency order
  CHECK(init[1]["name"].as<std::string>() == "seed");
  // cache: one dependant waits for it healthy, so it stays a container (and the order is named).
  std::vector<std::string> names;
  for (const auto& c : g.pod()["spec"]["containers"]) names.push_back(c["name"].as<std::string>());
  CHECK(names == std::vector<std::string>{"app", "cache", "side"});
  CHECK(g.warned("service app: depends_on cache (service_healthy)"));
  CHECK(g.warned("service side: depends_on cache (service_completed_successfully)"));
  CHECK(!g.warned("depends_on migrate"));
}

TEST_CASE(
    "kube generate: secrets and configs are Secret and ConfigMap documents mounted by subPath") {
  qpod::testing::TempDir dir;
  dir.write("token.txt", "s3cret\n");
  dir.write("app.conf", "level=debug\n");
  auto g = generate(dir, R"(
services:
  app:
    image: localhost/qpod-busybox:latest
    secrets: [token]
    configs:
      - source: appconf
        target: /etc/app.conf
        mode: 0440
secrets:
  token:
    file: ./token.txt
configs:
  appconf:
    file: ./app.conf
)");
  auto secret = g.doc("Secret", "kubetest-token");
  CHECK(secret["data"]["token"].as<std::string>() == kube::base64("s3cret\n"));
  auto cm = g.doc("ConfigMap", "kubetest-appconf");
  CHECK(cm["data"]["appconf"].as<std::string>() == "level=debug\n");
  auto mounts = g.container("app")["volumeMounts"];
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0]["mountPath"].as<std::string>() == "/run/secrets/token");
  CHECK(mounts[0]["subPath"].as<std::string>() == "token");
  CHECK(mounts[0]["readOnly"].as<bool>());
  CHECK(mounts[1]["mountPath"].as<std::string>() == "/etc/app.conf");
  CHECK(mounts[1]["subPath"].as<std::string>() == "appconf");
  for (const auto& v : g.pod()["spec"]["volumes"]) {
    if (v["secret"]) {
      CHECK(v["secret"]["secretName"].as<std::string>() == "kubetest-token");
      CHECK(v["secret"]["optional"].as<bool>() == false);  // podman 4.3 needs it written
    }
    if (v["configMap"]) CHECK(v["configMap"]["defaultMode"].as<int>() == 0440);
  }
  CHECK(g.m.secrets == std::vector<std::string>{"kubetest-token"});
  CHECK(g.m.configs == std::vector<std::string>{"kubetest-appconf"});
}

TEST_CASE("kube generate: every key without a Kubernetes form is named in a warning") {
  qpod::testing::TempDir dir;
  auto g = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    container_name: my-web
    ulimits:
      nofile: {soft: 1024, hard: 2048}
    stop_signal: SIGINT
    devices: ["/dev/null:/dev/null"]
    user: nobody
    environment:
      FROM_HOST:
    deploy:
      resources:
        limits: {pids: 10}
    x-custom: 1
)");
  CHECK(g.warned("service web: container_name is left out"));
  CHECK(g.warned("service web: ulimits has no Kubernetes form"));
  CHECK(g.warned("service web: stop_signal is left out"));
  CHECK(g.warned("service web: devices has no Kubernetes form"));
  CHECK(g.warned("service web: user nobody: only numeric users"));
  CHECK(g.warned("service web: environment FROM_HOST has no value"));
  CHECK(g.warned("deploy.resources.limits.pids has no Kubernetes form"));
  CHECK(!g.warned("x-custom"));
  CHECK(!g.warned("image"));
}

TEST_CASE("kube generate: named services take what they depend on, an unknown name is an error") {
  qpod::testing::TempDir dir;
  const char* yaml = R"(
services:
  a: {image: localhost/qpod-busybox:latest, depends_on: [b]}
  b: {image: localhost/qpod-busybox:latest}
  c: {image: localhost/qpod-busybox:latest}
)";
  kube::KubeOptions o;
  o.services = {"a"};
  auto g = generate(dir, yaml, o);
  std::vector<std::string> names;
  for (const auto& c : g.pod()["spec"]["containers"]) names.push_back(c["name"].as<std::string>());
  CHECK(names == std::vector<std::string>{"a", "b"});

  auto l = qpod::testing::load_project_yaml(dir, yaml, "kubetest");
  o.services = {"nope"};
  CHECK_FALSE(kube::generate(l.project, l.graph, {}, o).ok());
}

TEST_CASE("kube generate: names as Kubernetes takes them, base64 of every length") {
  CHECK(kube::dns_label("My_Service.v2") == "my-service-v2");
  CHECK(kube::dns_label("_x_") == "x");
  CHECK(kube::dns_label(std::string(80, 'a')).size() == 63);
  CHECK(kube::base64("") == "");
  CHECK(kube::base64("f") == "Zg==");
  CHECK(kube::base64("fo") == "Zm8=");
  CHECK(kube::base64("foo") == "Zm9v");
  CHECK(kube::base64("foobar") == "Zm9vYmFy");
  CHECK(kube::pod_restart_policy("on-failure:3") == "OnFailure");
  CHECK(kube::pod_restart_policy("unless-stopped") == "Always");
  CHECK(kube::pod_restart_policy("") == "Never");
}

TEST_CASE("kube generate: Pod volumes of the same kind get distinct names") {
  qpod::testing::TempDir dir;
  for (const char* d : {"a", "b", "c"}) dir.mkdir(d);
  auto g = generate(dir, R"(
services:
  one: {image: localhost/qpod-busybox:latest, volumes: ["./a:/a", "./b:/b"]}
  two: {image: localhost/qpod-busybox:latest, volumes: ["./c:/c", "./a:/a2"]}
)");
  std::set<std::string> names;
  for (const auto& v : g.pod()["spec"]["volumes"]) names.insert(v["name"].as<std::string>());
  CHECK(names == std::set<std::string>{"host", "host-2", "host-3"});  // ./a is one volume
  auto two = g.container("two")["volumeMounts"];
  CHECK(two[1]["name"].as<std::string>() ==
        g.container("one")["volumeMounts"][0]["name"].as<std::string>());
}

TEST_CASE("kube generate: deploy keys, fixed addresses and port names are mapped or named") {
  qpod::testing::TempDir dir;
  auto g = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    ports:
      - {target: 80, published: "18081", name: http, app_protocol: http}
      - {target: 81, published: "18082", name: Not_A_Port_Name}
    networks:
      front:
        ipv4_address: 10.5.0.9
    deploy:
      replicas: 3
      labels: {tier: web}
      resources:
        limits: {cpus: "0.25", memory: 32M}
networks:
  front:
    ipam:
      config: [{subnet: 10.5.0.0/24}]
)");
  auto ports = g.container("web")["ports"];
  CHECK(ports[0]["name"].as<std::string>() == "http");
  CHECK(!ports[0]["appProtocol"]);  // not a ContainerPort field (the OpenAPI check found it)
  CHECK(g.warned("ports 18081:80: app_protocol has no form on a Pod's container port"));
  CHECK(!ports[1]["name"]);
  CHECK(g.warned("ports name Not_A_Port_Name"));
  CHECK(g.warned("networks.front: a fixed address"));
  CHECK(g.warned("deploy.replicas > 1 is left out"));
  CHECK(g.warned("deploy.labels has no Kubernetes form"));
  CHECK(!g.warned("deploy.resources"));
  CHECK(g.container("web")["resources"]["limits"]["cpu"].as<std::string>() == "0.25");
}

TEST_CASE("kube generate --mode cluster: a Deployment and a Service per service, shared PVCs") {
  qpod::testing::TempDir dir;
  kube::KubeOptions o;
  o.mode = "cluster";
  auto g = generate(dir, R"(
services:
  web:
    image: localhost/qpod-busybox:latest
    ports: ["18080:8080"]
    expose: ["9000", "53/udp"]
    volumes: ["data:/data"]
    deploy:
      replicas: 3
    healthcheck:
      test: ["CMD", "true"]
    restart: "no"
  worker:
    image: localhost/qpod-busybox:latest
    volumes: ["data:/data"]
    depends_on: [web]
  batch:
    image: localhost/qpod-busybox:latest
    scale: 2
    deploy:
      replicas: 4
volumes:
  data: {}
)",
                    o);
  int claims = 0;
  for (const auto& d : g.docs) claims += d["kind"].as<std::string>() == "PersistentVolumeClaim";
  CHECK(claims == 1);
  auto web = g.doc("Deployment", "web");
  CHECK(web["apiVersion"].as<std::string>() == "apps/v1");
  CHECK(web["spec"]["replicas"].as<int>() == 3);
  CHECK(web["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"].as<std::string>() ==
        "web");
  auto tmpl = web["spec"]["template"];
  CHECK(tmpl["metadata"]["labels"]["app.kubernetes.io/name"].as<std::string>() == "web");
  CHECK(tmpl["spec"]["restartPolicy"].as<std::string>() == "Always");
  auto c = tmpl["spec"]["containers"][0];
  CHECK(c["readinessProbe"]["exec"]["command"][0].as<std::string>() == "true");
  CHECK(c["livenessProbe"]);
  CHECK(!c["ports"]);  // the Service reaches 8080; podman would publish each replica's
  CHECK(tmpl["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() ==
        "kubetest-data");
  auto svc = g.doc("Service", "web");
  CHECK(svc["spec"]["selector"]["app.kubernetes.io/name"].as<std::string>() == "web");
  std::vector<std::string> ports;
  for (const auto& p : svc["spec"]["ports"])
    ports.push_back(p["name"].as<std::string>() + ":" + p["port"].as<std::string>() + "/" +
                    p["protocol"].as<std::string>());
  CHECK(ports == std::vector<std::string>{"u53:53/UDP", "p8080:8080/TCP", "p9000:9000/TCP"});
  auto worker = g.doc("Deployment", "worker");
  CHECK(worker["spec"]["replicas"].as<int>() == 1);
  // `scale` wins over deploy.replicas, as `up` counts the containers.
  CHECK(g.doc("Deployment", "batch")["spec"]["replicas"].as<int>() == 2);
  for (const auto& d : g.docs)  // a service without ports has no Service
    CHECK(!(d["kind"].as<std::string>() == "Service" &&
            d["metadata"]["name"].as<std::string>() == "worker"));
  CHECK(g.warned("service web: restart no: a Deployment's Pods always restart"));
  CHECK(g.warned("service worker: depends_on web (service_started)"));
  CHECK(!g.warned("deploy.replicas"));
}
