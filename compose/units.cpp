#include "compose/units.h"

#include <cctype>
#include <limits>

namespace qpod::compose {
namespace {

constexpr std::uint64_t kMaxDuration = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Nanoseconds per unit, or 0 for an unknown unit. Both micro signs are accepted, as in Go.
std::uint64_t unit_nanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;
  if (unit == "ms") return 1000 * 1000;
  if (unit == "s") return 1000 * 1000 * 1000;
  if (unit == "m") return 60ULL * 1000 * 1000 * 1000;
  if (unit == "h") return 3600ULL * 1000 * 1000 * 1000;
  return 0;
}

// Digits of `v` written before `out` (in reverse); `out` is built back to front.
void prepend_int(std::string& out, std::uint64_t v) {
  do {
    out.insert(out.begin(), static_cast<char>('0' + v % 10));
    v /= 10;
  } while (v > 0);
}

// The lowest `prec` decimal digits of `v` as a fraction (".5", trailing zeros and an all-zero
// fraction left out), prepended to `out`; returns v without those digits.
std::uint64_t prepend_fraction(std::string& out, std::uint64_t v, int prec) {
  std::string digits;
  bool printing = false;
  for (int i = 0; i < prec; ++i) {
    auto digit = static_cast<char>('0' + v % 10);
    printing = printing || digit != '0';
    if (printing) digits.insert(digits.begin(), digit);
    v /= 10;
  }
  if (printing) out.insert(0, "." + digits);
  return v;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return std::nullopt;
  std::uint64_t total = 0;
  while (!s.empty()) {
    // [0-9]*(\.[0-9]*)?
    std::uint64_t whole = 0;
    std::size_t i = 0, digits = 0;
    for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
      if (whole > (kMaxDuration - 9) / 10) return std::nullopt;
      whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    std::uint64_t fraction = 0;
    double scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      bool overflow = false;
      for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
        if (overflow || fraction > (kMaxDuration - 9) / 10) {
          overflow = true;  // digits past the precision of the fraction do not matter
          continue;
        }
        fraction = fraction * 10 + static_cast<std::uint64_t>(s[i] - '0');
        scale *= 10;
      }
    }
    if (digits == 0) return std::nullopt;
    std::size_t unit_end = i;
    while (unit_end < s.size() && s[unit_end] != '.' && !is_digit(s[unit_end])) ++unit_end;
    std::uint64_t unit = unit_nanos(s.substr(i, unit_end - i));
    if (unit == 0) return std::nullopt;
    if (whole > kMaxDuration / unit) return std::nullopt;
    std::uint64_t v = whole * unit;
    if (fraction > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(fraction) *
                                      (static_cast<double>(unit) / scale));
      if (v > kMaxDuration) return std::nullopt;
    }
    total += v;
    if (total > kMaxDuration) return std::nullopt;
    s.remove_prefix(unit_end);
  }
  auto signed_total = static_cast<Duration::rep>(total);
  return Duration(negative ? -signed_total : signed_total);
}

std::string format_duration(Duration d) {
  const Duration::rep n = d.count();
  if (n == 0) return "0s";
  const bool negative = n < 0;
  std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  std::string out;
  if (u < 1000ULL * 1000 * 1000) {
    // Under a second: one unit, with a fraction ("1.5ms", "250µs", "12ns").
    if (u < 1000) {
      out = "ns";
      prepend_int(out, u);
    } else if (u < 1000 * 1000) {
      out = "\xC2\xB5s";
      u = prepend_fraction(out, u, 3);
      prepend_int(out, u);
    } else {
      out = "ms";
      u = prepend_fraction(out, u, 6);
      prepend_int(out, u);
    }
  } else {
    // "72h3m0.5s": seconds always, minutes and hours when there are any.
    out = "s";
    u = prepend_fraction(out, u, 9);
    prepend_int(out, u % 60);
    u /= 60;
    if (u > 0) {
      out.insert(out.begin(), 'm');
      prepend_int(out, u % 60);
      u /= 60;
      if (u > 0) {
        out.insert(out.begin(), 'h');
        prepend_int(out, u);
      }
    }
  }
  if (negative) out.insert(out.begin(), '-');
  return out;
}

std::optional<std::int64_t> parse_bytes(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  while (i < text.size() && is_digit(text[i])) {
    if (whole > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / 10)
      return std::nullopt;
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  double fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    double scale = 0.1;
    std::size_t start = i;
    for (; i < text.size() && is_digit(text[i]); ++i, scale /= 10)
      fraction += (text[i] - '0') * scale;
    if (i == start) return std::nullopt;
  }
  std::string unit;
  for (; i < text.size(); ++i)
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  std::uint64_t multiplier = 0;
  if (unit.empty() || unit == "b") multiplier = 1;
  if (unit == "k" || unit == "kb") multiplier = 1ULL << 10;
  if (unit == "m" || unit == "mb") multiplier = 1ULL << 20;
  if (unit == "g" || unit == "gb") multiplier = 1ULL << 30;
  if (multiplier == 0) return std::nullopt;
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (whole > max / multiplier) return std::nullopt;
  std::uint64_t bytes = whole * multiplier;
  bytes += static_cast<std::uint64_t>(fraction * static_cast<double>(multiplier));
  if (bytes > max) return std::nullopt;
  return static_cast<std::int64_t>(bytes);
}

}  // namespace qpod::compose
