#include "engine/stats_empty.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "base/text.h"

namespace qpod::engine {
namespace {

// podman stats' default table.
constexpr const char* kDefaultTable =
    "table {{.ID}}\\t{{.Name}}\\t{{.CPUPerc}}\\t{{.MemUsage}}\\t{{.MemPerc}}\\t{{.NetIO}}\\t"
    "{{.BlockIO}}\\t{{.PIDS}}\\t{{.UpTime}}\\t{{.AVGCPU}}";

enum class Kind { kLower, kUpper, kDigit, kOther };
Kind kind_of(char c) {
  if (std::islower(static_cast<unsigned char>(c))) return Kind::kLower;
  if (std::isupper(static_cast<unsigned char>(c))) return Kind::kUpper;
  if (std::isdigit(static_cast<unsigned char>(c))) return Kind::kDigit;
  return Kind::kOther;
}

// podman's header of a field it names no header for: the name's camel-case words (as
// fatih/camelcase splits them: "ContainerID" is CONTAINER ID, "PIDs" is PI DS) in upper case.
std::string header_of_field(const std::string& field) {
  static const std::map<std::string, std::string> kNamed = {
      {"ID", "ID"},
      {"UpTime", "CPU TIME"},
      {"AVGCPU", "AVG CPU %"},
      {"CPUPerc", "CPU %"},
      {"MemUsage", "MEM USAGE / LIMIT"},
      {"MemUsageBytes", "MEM USAGE / LIMIT"},
      {"MemPerc", "MEM %"},
      {"NetIO", "NET IO"},
      {"BlockIO", "BLOCK IO"},
      {"PIDS", "PIDS"},
  };
  if (auto it = kNamed.find(field); it != kNamed.end()) return it->second;
  std::vector<std::string> runs;
  for (std::size_t i = 0; i < field.size(); ++i)
    if (i == 0 || kind_of(field[i]) != kind_of(field[i - 1]))
      runs.emplace_back(1, field[i]);
    else
      runs.back() += field[i];
  // An upper-case run followed by a lower-case one gives it its last letter ("CPUNano").
  for (std::size_t i = 0; i + 1 < runs.size(); ++i)
    if (kind_of(runs[i].back()) == Kind::kUpper && kind_of(runs[i + 1].front()) == Kind::kLower) {
      runs[i + 1].insert(runs[i + 1].begin(), runs[i].back());
      runs[i].pop_back();
    }
  std::vector<std::string> words;
  for (auto& r : runs)
    if (!r.empty()) words.push_back(upper(r));
  return join(words, " ");
}

// The template's text with each {{.Field}} as its header, "\t" (backslash t) and spaces outside
// the actions as tabs (podman's table: a space separates columns too).
std::vector<std::string> header_cells(const std::string& text) {
  std::vector<std::string> cells{""};
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "{{") == 0) {
      std::size_t end = text.find("}}", i + 2);
      if (end == std::string::npos) end = text.size();
      std::string action = trim(text.substr(i + 2, end - i - 2));
      if (action.size() > 1 && action[0] == '.') cells.back() += header_of_field(action.substr(1));
      i = end == text.size() ? end : end + 2;
    } else if (text.compare(i, 2, "\\t") == 0 || text[i] == '\t' || text[i] == ' ') {
      cells.emplace_back();
      i += text[i] == '\\' ? 2 : 1;
    } else if (text.compare(i, 2, "\\n") == 0 || text[i] == '\n') {
      break;  // the header is the first line
    } else {
      cells.back() += text[i++];
    }
  }
  return cells;
}

std::size_t width(const std::string& s) {  // code points, as Go's tabwriter counts
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string stats_table_header(const std::string& table_template) {
  std::string text = table_template;
  if (text.rfind("table", 0) == 0) text = text.substr(5);
  if (!text.empty() && text[0] == ' ') text = text.substr(1);
  const auto cells = header_cells(text);
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size())  // a cell ended by a tab: padded; the last one is not
      line += std::string(std::max<std::size_t>(width(cells[i]) + 2, 12) - width(cells[i]), ' ');
  }
  return trim(line).empty() ? "" : line + "\n";
}

std::string stats_without_containers(const std::string& format) {
  const std::string f = trim(format);
  if (f.empty() || f == "table") return stats_table_header(kDefaultTable);
  if (f == "json") return "[]\n";
  if (f.rfind("table ", 0) == 0) return stats_table_header(f);
  return "";  // a template of rows only: no row, nothing
}

}  // namespace qpod::engine
