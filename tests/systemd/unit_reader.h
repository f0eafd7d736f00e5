#pragma once
// Reads back the units `qpod systemd generate` writes, by systemd's rules (systemd.syntax(7),
// systemd.service(5) "Command lines"): continuation lines, comments, quoted words with C
// escapes, %% and $$. The tests check generated text through it; verify_systemd_test.cpp checks
// the same text through systemd's own parser.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

namespace qpod::testing {

struct UnitEntry {
  std::string section, key, value;
};

inline std::vector<UnitEntry> read_unit(const std::string& text) {
  std::vector<UnitEntry> out;
  std::string section, pending;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::size_t b = line.find_first_not_of(" \t");
    std::string stripped = b == std::string::npos ? "" : line.substr(b);
    if (stripped.empty() || stripped[0] == '#' || stripped[0] == ';') {
      if (end == text.size()) break;
      continue;
    }
    if (!stripped.empty() && stripped.back() == '\\') {
      stripped.back() = ' ';
      pending += stripped;
      continue;
    }
    stripped = pending + stripped;
    pending.clear();
    if (stripped[0] == '[') {
      section = stripped.substr(1, stripped.find(']') - 1);
    } else {
      auto eq = stripped.find('=');
      REQUIRE(eq != std::string::npos);
      out.push_back({section, stripped.substr(0, eq), stripped.substr(eq + 1)});
    }
    if (end == text.size()) break;
  }
  return out;
}

inline std::vector<std::string> unit_values(const std::vector<UnitEntry>& unit,
                                            const std::string& section, const std::string& key) {
  std::vector<std::string> v;
  for (const auto& e : unit)
    if (e.section == section && e.key == key) v.push_back(e.value);
  return v;
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An Exec value as the argv systemd runs: words split at unquoted blanks, quotes removed, C
// escapes read, %% → %, the specifiers in `specifiers` replaced (others kept as written),
// $$ → $; the program first, its prefix ("-") removed.
inline std::vector<std::string> exec_argv(const std::string& value,
                                          const std::map<char, std::string>& specifiers = {}) {
  std::vector<std::string> argv;
  std::size_t i = 0;
  const std::size_t n = value.size();
  while (i < n) {
    while (i < n && (value[i] == ' ' || value[i] == '\t')) ++i;
    if (i >= n) break;
    std::string word;
    char quote = 0;
    for (; i < n; ++i) {
      char c = value[i];
      if (!quote && (c == ' ' || c == '\t')) break;
      if (!quote && (c == '"' || c == '\'')) {
        quote = c;
        continue;
      }
      if (quote && c == quote) {
        quote = 0;
        continue;
      }
      if (c == '\\' && i + 1 < n) {
        char e = value[++i];
        switch (e) {
          case 'n':
            word += '\n';
            break;
          case 't':
            word += '\t';
            break;
          case 'r':
            word += '\r';
            break;
          case 'x':
            REQUIRE(i + 2 < n);
            word += static_cast<char>(hex_digit(value[i + 1]) * 16 + hex_digit(value[i + 2]));
            i += 2;
            break;
          default:
            word += e;  // \\ \" \'
        }
        continue;
      }
      if ((c == '%' || c == '$') && i + 1 < n && value[i + 1] == c) {
        word += c;
        ++i;
        continue;
      }
      if (c == '%' && i + 1 < n && specifiers.count(value[i + 1])) {
        word += specifiers.at(value[++i]);
        continue;
      }
      word += c;
    }
    REQUIRE(quote == 0);
    argv.push_back(word);
  }
  if (!argv.empty() && !argv[0].empty() && argv[0][0] == '-') argv[0].erase(0, 1);
  return argv;
}

}  // namespace qpod::testing
