#pragma once
// The pure parts of images / ls / port: podman's JSON in, docker compose's tables and JSON out.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace qpod::engine {

// Columns as docker's tabwriter lays them out (minimum width 20, padding 3); last one unpadded.
std::string format_table(const std::vector<std::vector<std::string>>& rows);
// docker's units.HumanSizeWithPrecision(n, 3): "2.14MB", "512B", "1.5GB" (powers of 1000).
std::string human_size(std::int64_t bytes);
// "sha256:51ac3a39d11e7e..." -> "51ac3a39d11e" (docker's stringid.TruncateID).
std::string short_id(const std::string& id);
// "docker.io/library/nginx:1.25" -> {"nginx", "1.25"}; "localhost/x" -> {"localhost/x", ""}.
std::pair<std::string, std::string> split_image_ref(const std::string& ref);

struct ImageInfo {
  std::string id;
  std::int64_t size = 0;
};
// `podman image inspect` output, by image ID (full, without "sha256:").
Result<std::map<std::string, ImageInfo>> parse_image_inspect(const std::string& json);

struct ImageRow {
  std::string container, repository, tag, id;
  std::int64_t size = 0;
};
// CONTAINER REPOSITORY TAG IMAGE ID SIZE ("<none>" for an empty repository or tag).
std::string images_table(const std::vector<ImageRow>& rows);
std::string images_json(const std::vector<ImageRow>& rows);             // one JSON array, one line
std::vector<std::string> image_ids(const std::vector<ImageRow>& rows);  // -q: unique, in order

struct ProjectRow {
  std::string name, status, config_files;
};
// `podman ps --format json` of every labelled container, grouped by io.qpod.project, sorted by
// name. Status is docker's combined status: "exited(1), running(2)".
Result<std::vector<ProjectRow>> projects_from_ps(const std::string& json);
std::string combined_status(const std::vector<std::string>& states);
std::string projects_table(const std::vector<ProjectRow>& rows);  // NAME STATUS CONFIG FILES
std::string projects_json(const std::vector<ProjectRow>& rows);

// The host side of a port published on the pod (`podman pod inspect`): "0.0.0.0:8080", or ""
// when the pod does not publish target/protocol.
Result<std::string> published_port(const std::string& pod_inspect_json, std::uint32_t target,
                                   const std::string& protocol);

}  // namespace qpod::engine
