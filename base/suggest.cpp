#include "base/suggest.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace qpod {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int edit_distance(const std::string& a0, const std::string& b0) {
  const std::string a = lower(a0), b = lower(b0);
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> suggestions(const std::string& word,
                                     const std::vector<std::string>& candidates) {
  // Without the dashes, so "-x" is not 1 edit from every short flag.
  auto bare = [](const std::string& s) {
    const auto start = s.find_first_not_of('-');
    return start == std::string::npos ? std::string() : s.substr(start);
  };
  const std::string w = bare(word);
  const int max = w.size() <= 3 ? 1 : 2;
  std::vector<std::pair<int, std::string>> near;
  for (const auto& c : candidates) {
    const std::string b = bare(c);
    if (b.size() <= 1 || w.empty()) continue;  // a one-letter name is near too much
    const int d = edit_distance(w, b);
    if (d <= max || (w.size() >= 2 && lower(b).starts_with(lower(w)))) near.emplace_back(d, c);
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [d, c] : near)
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto s = suggestions(word, candidates);
  if (s.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? " or " : "") + s[i];
  return out + "?)";
}

}  // namespace qpod
