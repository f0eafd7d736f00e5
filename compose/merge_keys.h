#pragma once
// The identity of one entry of a Compose sequence, read from its short or its long syntax, so
// that the merge can find which entries of two files describe the same thing without converting
// the documents. Also the list-to-mapping conversions the merge needs when a list form meets a
// mapping form (environment, labels, extra_hosts, depends_on, networks).
#include <string>
#include <string_view>

#include "compose/tree.h"

namespace qpod::compose {

// The item itself: a scalar's text (so 80 and "80" are one key), otherwise its JSON.
std::string value_key(const Node& item);
// "host_ip|published|target|protocol" of "[IP:][HOST:]CONTAINER[/PROTO]" or a long-form port.
std::string port_key(const Node& item);
// The container path of "SOURCE:TARGET[:MODE]", "TARGET" or a long-form mount.
std::string volume_key(const Node& item);
// The container path of "HOST[:CONTAINER[:PERMISSIONS]]" or {source, target}.
std::string device_key(const Node& item);
// The mount path of "/path[:options]".
std::string tmpfs_key(const Node& item);
// Where a secret (default folder "/run/secrets") or config ("") is mounted: the target,
// else the folder and the source.
std::string secret_key(const Node& item);
std::string config_key(const Node& item);
// The path of an env_file entry (a string or {path, required, format}).
std::string env_file_key(const Node& item);
// A long-form entry's `field` (blkio `path`, ipam `subnet`); the whole item if there is none.
std::string field_key(const Node& item, std::string_view field);
// The name in "NAME=VALUE" (environment, labels) or "host:ip" / "host=ip" (extra_hosts).
std::string entry_name(const Node& item);
std::string host_name(const Node& item);

// ["A=1", "B"] → {A: "1", B: null}; a later entry with the same name wins.
Node entries_to_mapping(const Node& list);
// ["h:1.2.3.4", "h=::1"] → {h: ["1.2.3.4", "::1"]} (one address stays a string).
Node hosts_to_mapping(const Node& list);
// ["db"] → {db: <value>}: depends_on gets {condition: service_started}, networks null.
Node names_to_mapping(const Node& list, const Node& value);

}  // namespace qpod::compose
