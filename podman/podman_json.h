#pragma once
// Reading podman's JSON output (ps, pod ps, inspect, ls): lenient field access (a missing or
// mistyped field reads as empty) and parse errors as Diagnostics. For engine .cpp files only.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "base/diagnostic.h"
#include "base/result.h"

namespace qpod::podman::podman_json {

using nlohmann::json;

inline Diagnostic error(std::string message) {
  return Diagnostic{{}, 0, 0, {}, std::move(message)};
}

inline std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::int64_t num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

// A label of a container, pod, volume or network ("Labels" object); "" when absent.
inline std::string label(const json& j, const char* key) {
  auto it = j.find("Labels");
  return it != j.end() && it->is_object() ? str(*it, key) : std::string();
}

// Podman's output as JSON; empty output or `null` (nothing listed) is an empty array. `what`
// names the command in the error ("podman ps").
inline Result<json> parse(const std::string& text, const char* what) {
  try {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return json::array();
    json j = json::parse(text);
    return j.is_null() ? json::array() : j;
  } catch (const std::exception& e) {
    return error(std::string(what) + ": cannot parse podman's JSON: " + e.what());
  }
}

// The same, for listings: anything but an array is an error.
inline Result<json> parse_array(const std::string& text, const char* what) {
  auto j = parse(text, what);
  if (j && !j->is_array()) return error(std::string(what) + ": expected a JSON array from podman");
  return j;
}

}  // namespace qpod::podman::podman_json
