// Service keys → podman flags (podman/podman_argv.cpp, "service keys" section), the warnings
// for keys a pod cannot honour, and the planner's refusal of missing external resources.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "base/text.h"
#include "compose/parse.h"
#include "engine/planner.h"
#include "podman/gpus.h"
#include "podman/podman_argv.h"
#include "podman/runtime.h"
#include "tests/engine/test_project.h"

using namespace qpod;
using namespace qpod::engine;
using namespace qpod::engine::testing;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string warnings_text(const compose::Project& p, const std::string& service) {
  return join(podman::service_warnings(p, p.services.at(service), {}), "\n");
}

}  // namespace

TEST_CASE("service keys: resources, logging and platform reach podman", "[engine][keys]") {
  auto s = service("web");
  s.cpus = "1.5";
  s.cpuset = "0-1";
  s.cpu_shares = 512;
  s.mem_limit = 64 << 20;
  s.mem_reservation = 32 << 20;
  s.memswap_limit = -1;
  s.pids_limit = 100;
  s.oom_score_adj = 200;
  s.oom_kill_disable = true;
  s.device_cgroup_rules = {"c 1:3 mr"};
  s.platform = "linux/amd64";
  s.logging = compose::Logging{"journald", {{"tag", "web"}}};
  auto p = project("demo", {s});
  auto text = podman::join_argv(podman::container_create(p, p.services.at("web")));
  CHECK(has(text,
            " --memory 67108864b --cpus 1.5 --cpuset-cpus 0-1 --cpu-shares 512"
            " --memory-reservation 33554432b --memory-swap -1 --pids-limit 100"
            " --oom-score-adj 200 --oom-kill-disable --device-cgroup-rule c 1:3 mr"
            " --platform linux/amd64 --log-driver journald --log-opt tag=web "));
  CHECK(warnings_text(p, "web") == "");

  p.services.at("web").logging->driver = "syslog";
  text = podman::join_argv(podman::container_create(p, p.services.at("web")));
  CHECK_FALSE(has(text, "--log-driver"));
  CHECK_FALSE(has(text, "--log-opt"));
  CHECK(has(warnings_text(p, "web"), "logging.driver: syslog is not a podman log driver"));
}

TEST_CASE("service keys: ulimits keep a default nofile/nproc when not set", "[engine][keys]") {
  // podman would set the ones left out to 1048576 (see add_ulimits).
  auto s = service("web");
  s.ulimits["core"] = {0, 0};
  s.ulimits["nproc"] = {64, 64};
  auto p = project("demo", {s});
  podman::HostFacts host;
  host.default_ulimits = {{"nofile", "nofile=1024:4096"}, {"nproc", "nproc=512:512"}};
  auto text = podman::join_argv(podman::container_create(p, p.services.at("web"), 1, {}, host));
  CHECK(has(text, " --ulimit core=0:0 --ulimit nproc=64:64 --ulimit nofile=1024:4096 "));
  CHECK(text.find("--ulimit nproc=") == text.rfind("--ulimit nproc="));  // not twice
  p.services.at("web").ulimits.clear();
  CHECK_FALSE(has(podman::join_argv(podman::container_create(p, p.services.at("web"), 1, {}, host)),
                  "--ulimit"));
}

TEST_CASE("service keys: the host limits come from containers.conf, else the process's",
          "[engine][keys]") {
  // read_host_facts is the effectful side: both kinds are always there, as podman's values.
  auto limits = podman::read_host_facts();
  REQUIRE(limits.default_ulimits.count("nofile") == 1);
  REQUIRE(limits.default_ulimits.count("nproc") == 1);
  CHECK(limits.default_ulimits.at("nofile").rfind("nofile=", 0) == 0);
  CHECK(limits.default_ulimits.at("nofile").find(':') != std::string::npos);
  CHECK(limits.default_ulimits.at("nproc").rfind("nproc=", 0) == 0);
}

TEST_CASE("service keys: the pod gets dns options and links aliases", "[engine][keys]") {
  auto web = service("web");
  web.links = {"db:database", "cache"};
  web.dns_opt = {"ndots:2"};
  auto p = project("demo", {service("db"), service("cache"), web});
  auto text = podman::join_argv(podman::pod_create(p));
  CHECK(has(text, " --add-host database:127.0.0.1 "));
  CHECK(has(text, " --dns-option ndots:2 "));
}

TEST_CASE("service keys: what a pod cannot honour is named, once per key", "[engine][keys]") {
  auto s = service("web");
  s.network_mode = "host";
  s.mac_address = "02:42:ac:11:00:02";
  s.hostname = "www";
  s.ipc = "host";
  s.userns_mode = "keep-id";
  s.external_links = {"redis"};
  s.networks["front"].ipv4_address = "10.0.0.5";
  s.node = compose::Node::mapping({});
  s.node.set("cpu_count", compose::Node::plain("2"));
  auto p = project("demo", {s, service("db")});
  auto w = podman::service_warnings(p, p.services.at("web"), {});
  auto text = join(w, "\n");
  CHECK(w.size() == 8);
  CHECK(has(text, "network_mode: host is ignored: the services of a pod share the pod's network"));
  CHECK(has(text, "mac_address is ignored"));
  CHECK(has(text, "networks.front.ipv4_address/ipv6_address is ignored"));
  CHECK(has(text, "hostname: www resolves to the pod"));
  CHECK(has(text, "ipc: host is ignored"));
  CHECK(has(text, "userns_mode is ignored"));
  CHECK(has(text, "external_links are ignored"));
  CHECK(has(text, "cpu_count is not supported by qpod; ignored"));
  auto args = podman::join_argv(podman::container_create(p, p.services.at("web")));
  for (const char* flag : {"--network", "--mac-address", "--hostname", "--ipc", "--userns"})
    CHECK_FALSE(has(args, std::string(" ") + flag + " "));
  CHECK(warnings_text(p, "db") == "");
  // network_mode: service:X is the pod's network anyway.
  p.services.at("db").network_mode = "service:web";
  CHECK(warnings_text(p, "db") == "");

  // up says it, prefixed with the service, when it creates the container.
  auto plan = plan_up(p, graph_of(p), {}, {});
  CHECK(plan.warnings.size() == 8);
  CHECK(plan.warnings[0].rfind("service web: ", 0) == 0);
}

TEST_CASE("service keys: secrets and configs, read-only, from file, environment, content",
          "[engine][keys]") {
  auto s = service("web");
  s.secrets = {{"token", "", "", "", std::nullopt},
               {"pass", "db_pass", "", "", 0400u},
               {"ext", "", "1000", "1000", 0440u}};
  s.configs = {{"conf", "/etc/app.conf", "", "", std::nullopt},
               {"inline", "", "", "", std::nullopt}};
  auto p = project("demo", {s});
  p.secrets["token"].file = "/src/demo/token.txt";
  p.secrets["pass"].environment = "DB_PASS";
  p.secrets["ext"].external = true;
  p.secrets["ext"].name = "shared_ext";
  p.configs["conf"].file = "/src/demo/app.conf";
  p.configs["inline"].content = "a=1";
  const auto& web = p.services.at("web");
  auto text = podman::join_argv(podman::container_create(p, web));
  // A file secret is mounted from its private copy too (mode, uid, gid of the reference).
  CHECK(has(text, " --volume " + podman::host_file_path(p, web, true, web.secrets[0]) +
                      ":/run/secrets/token:ro "));
  CHECK_FALSE(has(text, "/src/demo/token.txt"));
  CHECK(has(text, " --volume " + podman::host_file_path(p, web, true, web.secrets[1]) +
                      ":/run/secrets/db_pass:ro "));
  CHECK(has(text,
            " --secret shared_ext,type=mount,target=/run/secrets/ext,uid=1000,gid=1000,"
            "mode=440 "));
  CHECK(has(text, " --volume " + podman::host_file_path(p, web, false, web.configs[0]) +
                      ":/etc/app.conf:ro "));
  CHECK(has(text,
            " --volume " + podman::host_file_path(p, web, false, web.configs[1]) + ":/inline:ro "));
  CHECK(podman::host_file_path(p, web, true, web.secrets[1])
            .rfind(podman::host_files_dir("demo") + "/web/secrets/", 0) == 0);
  CHECK(warnings_text(p, "web") == "");
  // Honoured on the copy: no warning.
  p.services.at("web").secrets[0].uid = "1000";
  p.services.at("web").secrets[0].mode = 0400u;
  CHECK(warnings_text(p, "web") == "");
}

TEST_CASE("up: a missing external network or volume is refused before anything", "[engine][keys]") {
  auto s = service("db");
  compose::Mount m;
  m.type = "volume";
  m.source = "data";
  m.target = "/data";
  s.volumes = {m};
  s.networks["shared"];
  auto p = project("demo", {s});
  p.volumes["data"] = {"company_data", "", {}, {}, true};
  p.networks["shared"].name = "company_net";
  p.networks["shared"].external = true;
  auto plan = plan_up(p, graph_of(p), {}, {});
  CHECK(plan.actions.empty());
  REQUIRE(plan.errors.size() == 2);
  CHECK(has(format(plan.errors[0]),
            "network company_net (networks.shared, used by db) is external but "
            "does not exist"));
  CHECK(has(format(plan.errors[1]),
            "volume company_data (volumes.data, used by db) is external but "
            "does not exist"));
  Observed obs;
  obs.networks = {"company_net"};
  obs.volumes = {"company_data"};
  plan = plan_up(p, graph_of(p), obs, {});
  CHECK(plan.errors.empty());
  CHECK(to_string(plan) == "#1 create-pod (not found)\n#2 run db (not found) after #1\n");
}

TEST_CASE("network create: ipam subnets, gateways, ranges", "[engine][keys]") {
  auto a = service("a");
  a.networks["back"];
  auto p = project("demo", {a});
  auto& n = p.networks["back"];
  n.name = "demo_back";
  n.ipam = compose::Node::mapping();
  compose::Node config = compose::Node::mapping();
  config.set("subnet", compose::Node::string("10.89.7.0/24"));
  config.set("gateway", compose::Node::string("10.89.7.1"));
  config.set("ip_range", compose::Node::string("10.89.7.128/25"));
  compose::Node list = compose::Node::sequence();
  list.push_back(config);
  n.ipam.set("config", list);
  CHECK(has(podman::join_argv(podman::network_create(p, "back")),
            " --subnet 10.89.7.0/24 --gateway 10.89.7.1 --ip-range 10.89.7.128/25 demo_back"));
}

TEST_CASE("service keys: deploy.restart_policy reaches podman's --restart", "[engine][keys]") {
  auto parsed = compose::parse_yaml(R"(deploy:
  restart_policy: {condition: on-failure, max_attempts: 4, delay: 5s, window: 1m}
image: busybox
)",
                                    "compose.yaml");
  REQUIRE(parsed.ok());
  auto bound = compose::bind_service("web", parsed.value());
  REQUIRE(bound.ok());
  auto p = project("demo", {bound.value()});
  auto text = podman::join_argv(podman::container_create(p, p.services.at("web")));
  CHECK(has(text, " --restart on-failure:4 "));
  CHECK(warnings_text(p, "web") ==
        "deploy.restart_policy.delay is ignored: podman restarts at once (its own back-off), "
        "with no delay setting\n"
        "deploy.restart_policy.window is ignored: podman restarts at once (its own back-off), "
        "with no window setting");

  auto any = compose::parse_yaml("deploy: {restart_policy: {condition: any, max_attempts: 2}}\n",
                                 "compose.yaml");
  REQUIRE(any.ok());
  p = project("demo", {compose::bind_service("web", any.value()).value()});
  CHECK(has(podman::join_argv(podman::container_create(p, p.services.at("web"))),
            " --restart always "));
  CHECK(warnings_text(p, "web") ==
        "deploy.restart_policy.max_attempts is ignored: podman counts attempts only for "
        "condition: on-failure");
}

TEST_CASE("service keys: gpus become CDI devices where a CDI spec declares them",
          "[engine][keys][gpus]") {
  auto with_gpus = [](const char* yaml) {
    auto parsed = compose::parse_yaml(yaml, "compose.yaml");
    REQUIRE(parsed.ok());
    return compose::bind_service("web", parsed.value()).value();
  };
  CHECK(podman::gpu_cdi_devices(with_gpus("gpus: all\n")) ==
        std::vector<std::string>{"nvidia.com/gpu=all"});
  CHECK(podman::gpu_cdi_devices(with_gpus("gpus: [{driver: nvidia, count: 2}]\n")) ==
        std::vector<std::string>{"nvidia.com/gpu=0", "nvidia.com/gpu=1"});
  CHECK(podman::gpu_cdi_devices(with_gpus("gpus: [{count: all}]\n")) ==
        std::vector<std::string>{"nvidia.com/gpu=all"});
  CHECK(podman::gpu_cdi_devices(with_gpus("gpus: [{device_ids: ['0', GPU-3a1b]}]\n")) ==
        std::vector<std::string>{"nvidia.com/gpu=0", "nvidia.com/gpu=GPU-3a1b"});
  CHECK(podman::gpu_cdi_devices(with_gpus("image: x\n")).empty());

  // A fake CDI directory: only a spec of kind nvidia.com/gpu counts.
  auto dir = std::filesystem::temp_directory_path() / ("qpod-cdi-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "other.yaml") << "cdiVersion: 0.5.0\nkind: vendor.com/fpga\ndevices: []\n";
  std::ofstream(dir / "notes.txt") << "kind: nvidia.com/gpu\n";
  CHECK_FALSE(podman::cdi_kind_present({dir.string(), "/nonexistent/cdi"}, podman::kGpuCdiKind));
  std::ofstream(dir / "nvidia.json")
      << R"({"cdiVersion":"0.5.0","kind":"nvidia.com/gpu","devices":[{"name":"all"}]})";
  CHECK(podman::cdi_kind_present({"/nonexistent/cdi", dir.string()}, podman::kGpuCdiKind));
  std::filesystem::remove_all(dir);

  // The host's CDI spec is data (HostFacts::gpu_cdi): with one, gpus is --device and no
  // warning; without, a warning and no flag.
  auto p = project("demo", {with_gpus("gpus: all\nimage: busybox\n")});
  podman::HostFacts gpu_host;
  gpu_host.gpu_cdi = true;
  const auto& web = p.services.at("web");
  CHECK(has(podman::join_argv(podman::container_create(p, web, 1, {}, gpu_host)),
            " --device nvidia.com/gpu=all "));
  CHECK(join(podman::service_warnings(p, web, gpu_host), "\n") == "");
  CHECK_FALSE(has(podman::join_argv(podman::container_create(p, web)), "nvidia.com/gpu"));
  CHECK(warnings_text(p, "web") ==
        "gpus is ignored: no CDI spec for nvidia.com/gpu in /etc/cdi or /var/run/cdi "
        "(`nvidia-ctk cdi generate` writes one)");
}
