#include "podman/port_label.h"

#include <charconv>
#include <map>
#include <string_view>

namespace qpod::podman {
namespace {

// A port number 1..65535 that is all of `text`.
bool port_number(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 1 && out <= 65535;
}

}  // namespace

std::string port_label(const std::vector<compose::Port>& ports) {
  std::map<std::string, std::set<int>> by_protocol;
  for (const auto& p : ports) by_protocol[p.protocol].insert(static_cast<int>(p.target));
  std::string out;
  for (const auto& [protocol, targets] : by_protocol) {
    for (auto it = targets.begin(); it != targets.end();) {
      int first = *it, last = *it;
      for (++it; it != targets.end() && *it == last + 1; ++it) last = *it;
      if (!out.empty()) out += ',';
      out += std::to_string(first);
      if (last != first) out += "-" + std::to_string(last);
      out += "/" + protocol;
    }
  }
  return out;
}

std::set<std::pair<int, std::string>> parse_port_label(const std::string& value) {
  std::set<std::pair<int, std::string>> out;
  // A label qpod wrote has at most 16,384 ports (compose/limits.h); the work stays bounded on
  // any other value.
  constexpr long kMaxExpanded = 4L * 65536;
  long expanded = 0;
  std::string_view rest = value;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view word = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    std::size_t slash = word.find('/');
    if (slash == std::string_view::npos || slash + 1 == word.size()) continue;
    std::string_view range = word.substr(0, slash);
    std::string protocol(word.substr(slash + 1));
    std::size_t dash = range.find('-');
    int first = 0, last = 0;
    if (!port_number(range.substr(0, dash), first)) continue;
    if (dash == std::string_view::npos)
      last = first;
    else if (!port_number(range.substr(dash + 1), last) || last < first)
      continue;
    for (int port = first; port <= last && expanded < kMaxExpanded; ++port, ++expanded)
      out.insert({port, protocol});
  }
  return out;
}

}  // namespace qpod::podman
