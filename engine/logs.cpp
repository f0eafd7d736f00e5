#include "engine/logs.h"

#include <algorithm>

namespace qpod::engine {
namespace {

// docker compose's rotation: cyan, yellow, green, magenta, blue, then their bright forms.
constexpr const char* kColours[] = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string log_name(const std::string& project, const std::string& container) {
  std::string lead = project + "-";
  if (container.size() > lead.size() && container.compare(0, lead.size(), lead) == 0)
    return container.substr(lead.size());
  return container;
}

std::vector<ObservedContainer> log_targets(const std::vector<ObservedContainer>& containers,
                                           const std::vector<std::string>& services) {
  std::vector<ObservedContainer> out;
  for (const auto& c : containers) {
    if (c.oneoff) continue;
    if (!services.empty() &&
        std::find(services.begin(), services.end(), c.service) == services.end())
      continue;
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

LogFormatter::LogFormatter(const std::vector<std::string>& names, bool prefix, bool color)
    : prefix_(prefix), color_(color) {
  for (const auto& n : names) add(n);
}

void LogFormatter::add(const std::string& name) {
  width_ = std::max(width_, name.size());
  if (colours_.count(name)) return;
  std::size_t i = colours_.size() % std::size(kColours);
  colours_[name] = kColours[i];
}

std::string LogFormatter::prefix(const std::string& name) const {
  if (!prefix_) return {};
  std::string p = name;
  if (p.size() < width_) p.append(width_ - p.size(), ' ');
  p += " | ";
  if (!color_) return p;
  auto it = colours_.find(name);
  std::string code = it == colours_.end() ? "0" : it->second;
  return "\x1b[" + code + "m" + p + "\x1b[0m";
}

std::string LogFormatter::line(const std::string& name, const std::string& text) const {
  return prefix(name) + text;
}

std::pair<std::string, std::string> split_timestamp(const std::string& line) {
  // "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm) text"
  bool looks = line.size() > 20 && is_digit(line[0]) && line[4] == '-' && line[7] == '-' &&
               line[10] == 'T' && line[13] == ':' && line[16] == ':';
  if (!looks) return {"", line};
  auto space = line.find(' ');
  if (space == std::string::npos) return {line, ""};
  return {line.substr(0, space), line.substr(space + 1)};
}

Reattach reattach(const FollowState* seen, const ObservedContainer& now) {
  if (!seen) return Reattach::FromStart;
  if (seen->attached) return Reattach::No;
  if (now.id != seen->id) return Reattach::FromStart;
  return now.running() ? Reattach::SinceLast : Reattach::No;
}

}  // namespace qpod::engine
