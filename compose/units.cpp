#include "compose/units.h"

namespace qpod::compose {

// STUB: replaced by the normalization stage's unit parsing.
std::optional<Duration> parse_duration(std::string_view) { return std::nullopt; }
std::string format_duration(Duration) { return "0s"; }
std::optional<std::int64_t> parse_bytes(std::string_view) { return std::nullopt; }

}  // namespace qpod::compose
