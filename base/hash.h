#pragma once
// A stable, fast, non-cryptographic hash for configuration fingerprints (labels, stamps).
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace qpod {

// FNV-1a, 64 bits, as 16 hex digits.
inline std::string fnv1a_hex(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  // FNV-1a hashes bytes: each char as its value 0-255.
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace qpod
