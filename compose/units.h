#pragma once
// Durations ("1m30s", "1h", "500ms", "10us") and byte sizes ("64m", "1gb", "512k", 1024).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compose/model.h"

namespace qpod::compose {

std::optional<Duration> parse_duration(
    std::string_view text);               // Go syntax: [0-9.]+(h|m|s|ms|us|ns)...
std::string format_duration(Duration d);  // Go's time.Duration.String(): "1m30s", "500ms", "0s"
std::optional<std::int64_t> parse_bytes(std::string_view text);  // b, k/kb, m/mb, g/gb (1024-based)

}  // namespace qpod::compose
