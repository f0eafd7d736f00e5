#pragma once
// qpod volumes: the project's volumes (those with its label), as `docker compose volumes`
// lists them: a DRIVER / VOLUME NAME table, JSON lines, or names alone.
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "podman/runtime.h"

namespace qpod::engine {

struct VolumeRow {
  std::string name, driver, mountpoint, scope;
  std::map<std::string, std::string> labels;
};
// `podman volume ls --format=json` output, sorted by name.
Result<std::vector<VolumeRow>> parse_volume_ls(const std::string& json);
std::string volumes_table(const std::vector<VolumeRow>& rows);  // DRIVER  VOLUME NAME
std::string volumes_json(const std::vector<VolumeRow>& rows);   // one object a line

struct VolumesOptions {
  std::vector<std::string> services;  // only the volumes these services mount (empty = all)
  std::string format = "table";       // table | json
  bool quiet = false;                 // names only
};
// The host names of the project volumes `services` mount (the model's `volumes:` entries).
std::vector<std::string> volumes_of_services(const compose::Project& p,
                                             const std::vector<std::string>& services);
int volumes(const compose::Project& p, podman::Runtime& rt, const VolumesOptions& o,
            std::ostream& out, std::ostream& err);

}  // namespace qpod::engine
