#pragma once
// The typed project model: plain structs, filled by bind() from the normalized tree.
// Every Compose key the engine acts on has a typed field; `node` keeps the whole normalized
// service (what `config` prints), so keys without a field are never lost.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compose/tree.h"

namespace qpod::compose {

using Duration = std::chrono::nanoseconds;
using StringMap = std::map<std::string, std::string>;

struct Port {
  std::string name;
  std::string host_ip;    // empty = all interfaces
  std::string published;  // "8080", "8080-8081" or empty (a random host port)
  std::uint32_t target = 0;
  std::string protocol = "tcp";
  std::string app_protocol;
  std::string mode = "ingress";
  bool operator==(const Port&) const = default;
};

struct Mount {
  std::string type;    // bind | volume | tmpfs | npipe | cluster | image
  std::string source;  // absolute host path (bind), volume key (volume), empty (tmpfs, anonymous)
  std::string target;
  bool read_only = false;
  std::string consistency;
  std::string bind_propagation;
  bool bind_create_host_path = true;
  std::string bind_selinux;  // "z" | "Z" | ""
  bool volume_nocopy = false;
  std::string volume_subpath;
  std::optional<std::int64_t> tmpfs_size;  // bytes
  std::optional<std::uint32_t> tmpfs_mode;
  bool operator==(const Mount&) const = default;
};

struct Dependency {
  std::string condition = "service_started";  // | service_healthy | service_completed_successfully
  bool restart = false;
  bool required = true;
  bool operator==(const Dependency&) const = default;
};

struct Healthcheck {
  std::vector<std::string> test;  // ["CMD", args...], ["CMD-SHELL", "cmd"], or ["NONE"]
  std::optional<Duration> interval, timeout, start_period, start_interval;
  std::optional<int> retries;
  bool disable = false;
  bool operator==(const Healthcheck&) const = default;
};

struct Build {
  std::string context;  // absolute path or a URL
  std::string dockerfile;
  std::string dockerfile_inline;
  std::string target;
  std::map<std::string, std::optional<std::string>> args;
  StringMap labels;
  std::vector<std::string> tags, cache_from;
  std::string network;
  bool operator==(const Build&) const = default;
};

// provider: a service an external program manages (Compose's extension protocol), no container.
struct Provider {
  std::string type;                                         // the program, found in PATH
  std::map<std::string, std::vector<std::string>> options;  // one --KEY=VALUE per value
  bool operator==(const Provider&) const = default;
};

struct ServiceNetwork {
  std::vector<std::string> aliases;
  std::string ipv4_address, ipv6_address;
  std::optional<int> priority;
  bool operator==(const ServiceNetwork&) const = default;
};

struct FileReference {  // a service's use of a secret or a config
  std::string source, target, uid, gid;
  std::optional<std::uint32_t> mode;
  bool operator==(const FileReference&) const = default;
};

struct Logging {
  std::string driver;
  StringMap options;
  bool operator==(const Logging&) const = default;
};

struct Ulimit {
  std::int64_t soft = 0, hard = 0;
  bool operator==(const Ulimit&) const = default;
};

// Compose's develop.watch: what `qpod watch` does when a path changes.
// A command run in a service's running container (Compose's service_hook): the `exec` of a
// develop.watch sync+exec rule.
struct ServiceHook {
  std::vector<std::string> command;
  std::string user, working_dir;
  bool privileged = false;
  std::map<std::string, std::optional<std::string>> environment;  // no value: from qpod's env
  bool operator==(const ServiceHook&) const = default;
};

struct WatchRule {
  std::string action;  // sync | rebuild | restart | sync+restart | sync+exec
  std::string path;    // absolute host path
  std::string target;  // container path (sync)
  std::vector<std::string> ignore;
  std::optional<ServiceHook> exec = std::nullopt;  // sync+exec: run after the files are synced
  std::vector<std::string> include = {};  // when set, only paths these patterns match count
  bool initial_sync = false;              // sync*: copy the whole path when the watch starts
  bool operator==(const WatchRule&) const = default;
};

// x-qpod of a service (the QPOD dialect).
struct QpodService {
  std::string start = "auto";      // auto | binary | manual
  std::vector<std::string> watch;  // repository paths or globs whose change restarts it
  bool operator==(const QpodService&) const = default;
};

struct Service {
  std::string name;
  std::string image;
  std::optional<Build> build;
  std::optional<Provider> provider;                               // set: no image, no container
  std::optional<std::vector<std::string>> command, entrypoint;    // nullopt = the image's own
  std::map<std::string, std::optional<std::string>> environment;  // env_file merged in
  std::vector<Port> ports;
  std::vector<std::string> expose;  // "80", "8000-8010/udp"
  std::vector<Mount> volumes;
  std::vector<std::string> volumes_from;
  std::map<std::string, Dependency> depends_on;
  std::optional<Healthcheck> healthcheck;
  std::string restart;  // "" | no | always | on-failure[:N] | unless-stopped
  StringMap labels, annotations, sysctls;
  std::map<std::string, ServiceNetwork> networks;
  std::string network_mode, pid, ipc, user, working_dir, hostname, domainname;
  std::string container_name, platform, pull_policy, stop_signal;
  std::optional<Duration> stop_grace_period;
  std::optional<bool> init;
  bool read_only = false, tty = false, stdin_open = false, privileged = false;
  std::vector<std::string> cap_add, cap_drop, dns, dns_search, extra_hosts, security_opt;
  std::vector<std::string> devices, group_add, tmpfs, links, external_links, profiles;
  std::map<std::string, Ulimit> ulimits;
  std::vector<FileReference> secrets, configs;
  std::optional<std::int64_t> shm_size, mem_limit;
  std::optional<int> scale;  // `scale`, else deploy.replicas: how many containers
  // Resources and runtime (deploy.resources.limits / reservations fill the same fields).
  std::string cpus, cpuset, mac_address, cgroup_parent, userns_mode, runtime;
  std::optional<std::int64_t> mem_reservation, memswap_limit, pids_limit, cpu_shares;
  std::optional<int> oom_score_adj;
  bool oom_kill_disable = false;
  std::vector<std::string> dns_opt, device_cgroup_rules;
  std::optional<Logging> logging;
  std::vector<WatchRule> develop_watch;
  std::vector<ServiceHook> post_start, pre_stop;  // lifecycle hooks, run by podman exec
  std::optional<QpodService> qpod;                // x-qpod, when present
  Node extensions;  // the service's x-* keys (x-qpod among them), a mapping
  Node node;        // the whole normalized service, as `config` prints it
  bool operator==(const Service&) const = default;
};

struct Network {
  std::string name;  // the name on the host: "<project>_<key>" unless `name:` or external
  std::string driver;
  StringMap driver_opts, labels;
  bool external = false, internal = false, attachable = false;
  std::optional<bool> enable_ipv6;
  Node ipam;
  bool operator==(const Network&) const = default;
};

struct Volume {
  std::string name;  // the name on the host: "<project>_<key>" unless `name:` or external
  std::string driver;
  StringMap driver_opts, labels;
  bool external = false;
  bool operator==(const Volume&) const = default;
};

struct FileObject {  // a top-level secret or config
  std::string name;
  std::string file;         // absolute path
  std::string environment;  // variable name
  std::string content;      // configs only
  bool external = false;
  StringMap labels;
  bool operator==(const FileObject&) const = default;
};

// Top-level x-qpod: a QPOD environment (a git repository and its template).
struct QpodMount {
  std::string source, target;  // target empty = same as source
  bool readonly = false;
  bool operator==(const QpodMount&) const = default;
};
struct QpodBinary {
  std::string name;
  std::vector<std::string> services;  // started before the binary runs
  std::vector<std::string> run_args;
  bool operator==(const QpodBinary&) const = default;
};
struct QpodEnvironment {
  std::string name;   // template name
  std::string image;  // the environment's container image (or built, see build)
  std::optional<Build> build;
  StringMap env;
  std::vector<QpodMount> mounts;
  std::vector<QpodBinary> binaries;
  std::vector<std::string> default_run_args;
  std::vector<Port> ports;  // published on the pod
  std::string git_root;     // absolute; empty when not loaded from a repository
  bool operator==(const QpodEnvironment&) const = default;
};

struct Project {
  std::string name;
  std::string working_dir;                           // absolute project directory
  std::vector<std::string> config_files;             // absolute paths, in load order
  std::map<std::string, Service> services;           // active services
  std::map<std::string, Service> disabled_services;  // services whose profiles are not selected
  std::map<std::string, Network> networks;
  std::map<std::string, Volume> volumes;
  std::map<std::string, FileObject> secrets, configs;
  std::vector<std::string> profiles;    // the selected profiles
  std::optional<QpodEnvironment> qpod;  // top-level x-qpod, when present
  Node extensions;                      // top-level x-* keys
  Node node;                            // the whole normalized project, as `config` prints it
  Diagnostics warnings;                 // what loading found worth saying that is not an error
  // The interpolation variables (the process environment over .env / --env-file), with
  // COMPOSE_PROJECT_NAME set to `name`: a provider service's program runs with exactly these,
  // as docker compose runs it.
  StringMap environment;
  bool operator==(const Project&) const = default;
};

}  // namespace qpod::compose
