#pragma once
// What a container's flags depend on in the machine podman runs on, as data: read by the
// effectful side (read_host_facts; a Runtime hands them out) and passed to podman_argv, which
// stays a pure function of its arguments.
#include <map>
#include <string>

namespace qpod::podman {

struct HostFacts {
  // With any --ulimit, podman drops containers.conf's default_ulimits and sets nofile and nproc
  // to 1048576, which fails where the hard limits are lower (containers in containers, CI). So a
  // service that sets some ulimits gets these for the ones it leaves out, by name ("nofile",
  // "nproc") as podman's --ulimit value ("nofile=SOFT:HARD").
  std::map<std::string, std::string> default_ulimits;
  // A CDI spec for GPUs is installed (/etc/cdi, /var/run/cdi): `gpus` becomes --device, else a
  // warning (podman/gpus.h).
  bool gpu_cdi = false;
};

// nofile and nproc: containers.conf's default_ulimits (containers_conf_files()), else this
// process's own limits (getrlimit; unlimited is -1); gpu_cdi: host_has_gpu_cdi().
HostFacts read_host_facts();

}  // namespace qpod::podman
