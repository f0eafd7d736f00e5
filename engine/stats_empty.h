#pragma once
// `qpod stats` when no container of the project matches: podman stats without a name would show
// every container on the host, so qpod prints the empty result itself, as `docker compose stats`
// shows an empty table: the header of the table (podman's, as `podman stats` prints it with its
// rows), nothing for a template without "table", and for json podman's empty list.
#include <string>

namespace qpod::engine {

// What stats prints for no container with --format `format` ("" = the default table).
std::string stats_without_containers(const std::string& format);

// The header line of a "table ..." template of podman stats' fields, aligned as podman's
// tabwriter does (each column at least 12 wide, 2 spaces of padding): "NAME        CPU %\n".
std::string stats_table_header(const std::string& table_template);

}  // namespace qpod::engine
