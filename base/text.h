#pragma once
// Small string helpers shared by the podman layer, the engine, kube and systemd.
#include <string>
#include <string_view>
#include <vector>

namespace qpod {

inline std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string s;
  for (const auto& i : items) {
    if (!s.empty()) s += sep;
    s += i;
  }
  return s;
}

// `s` with its ASCII letters in upper case (protocol names, environment variable prefixes).
inline std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// The lines of `text`, without their '\n' (a last line without one included).
inline std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Appends `byte` as a C string literal writes it: \\ \" \n \t \r, other control bytes as \xNN,
// everything else as it is (ps's COMMAND column, systemd's quoted Exec words).
inline void append_c_escaped(std::string& out, char byte) {
  const auto u = static_cast<unsigned char>(byte);
  switch (byte) {
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    default:
      break;
  }
  if (u < 0x20 || u == 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
  } else {
    out += byte;
  }
}

}  // namespace qpod
