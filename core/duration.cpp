// Go duration parsing and printing, to the nanosecond and without overflow.
#include "core/duration.hpp"

#include <cstdint>
#include <limits>

namespace certmill {
namespace {

constexpr std::uint64_t kMaxNanos = static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max());
// Magnitudes are summed up to 2^63 so that the most negative duration parses.
constexpr std::uint64_t kLimit = kMaxNanos + 1;

struct Unit {
  std::string_view name;
  std::uint64_t nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
    {"\xCE\xBCs", 1'000},  // U+03BC Greek small letter mu
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Error invalid(std::string_view text, std::string_view why) {
  return Error(Errc::invalid_value,
               "invalid duration \"" + std::string(text) + "\": " + std::string(why) +
                   " (write it as Go does, for example 2160h, 90m or 1h30m45s)");
}

// Appends the value of `v` with `prec` fractional digits, trimming trailing
// zeros of the fraction, as Go's fmtFrac/fmtInt do.
void append_fraction(std::string& out, std::uint64_t v, int prec) {
  std::string frac;
  bool printed = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>('0' + v % 10);
    printed = printed || digit != '0';
    if (printed)
      frac.insert(frac.begin(), digit);
    v /= 10;
  }
  out += std::to_string(v);
  if (printed)
    out += "." + frac;
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0")
    return Duration::zero();
  if (s.empty())
    return invalid(text, "empty");

  std::uint64_t total = 0;
  while (!s.empty()) {
    std::uint64_t whole = 0;
    bool have_digits = false, overflow = false;
    while (!s.empty() && is_digit(s.front())) {
      have_digits = true;
      const std::uint64_t d = static_cast<std::uint64_t>(s.front() - '0');
      if (whole > (kLimit - d) / 10)
        overflow = true;
      if (!overflow)
        whole = whole * 10 + d;
      s.remove_prefix(1);
    }
    // Go keeps fraction digits while their value fits and scales in float64;
    // doing the same keeps "0.3333333333333333333h" at exactly 20m.
    std::uint64_t frac = 0;
    double scale = 1;
    if (!s.empty() && s.front() == '.') {
      s.remove_prefix(1);
      bool frac_full = false;
      while (!s.empty() && is_digit(s.front())) {
        have_digits = true;
        const std::uint64_t d = static_cast<std::uint64_t>(s.front() - '0');
        frac_full = frac_full || frac > kMaxNanos / 10 || frac * 10 + d > kLimit;
        if (!frac_full) {
          frac = frac * 10 + d;
          scale *= 10;
        }
        s.remove_prefix(1);
      }
    }
    if (!have_digits)
      return invalid(text, "expected a number");
    if (overflow)
      return invalid(text, "too large");

    std::size_t unit_len = 0;
    while (unit_len < s.size() && !is_digit(s[unit_len]) && s[unit_len] != '.')
      ++unit_len;
    if (unit_len == 0)
      return invalid(text, "missing unit (ns, us, ms, s, m or h)");
    const std::string_view unit_name = s.substr(0, unit_len);
    s.remove_prefix(unit_len);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (u.name == unit_name)
        unit = &u;
    }
    if (unit == nullptr) {
      return invalid(text, "unknown unit \"" + std::string(unit_name) + "\"");
    }

    if (whole > kLimit / unit->nanos)
      return invalid(text, "too large");
    std::uint64_t value = whole * unit->nanos;
    // frac/scale < 1, so this adds less than one unit (at most 3.6e12 ns).
    value += static_cast<std::uint64_t>(static_cast<double>(frac) *
                                        (static_cast<double>(unit->nanos) / scale));
    if (value > kLimit || total > kLimit - value)
      return invalid(text, "too large");
    total += value;
  }
  if (!negative && total > kMaxNanos)
    return invalid(text, "too large");
  // Two's complement conversion (defined in C++20) also yields INT64_MIN.
  return Duration(static_cast<int64_t>(negative ? 0 - total : total));
}

namespace {

// A duration of a second or more as its sign, whole hours, whole minutes and
// the nanoseconds left over.
struct Clockwise {
  bool negative;
  std::uint64_t hours, minutes, nanos;
};

Clockwise split(int64_t n) {
  // Magnitude as unsigned: -INT64_MIN does not fit in int64_t.
  std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  const std::uint64_t hours = u / 3'600'000'000'000;
  u -= hours * 3'600'000'000'000;
  const std::uint64_t minutes = u / 60'000'000'000;
  return {n < 0, hours, minutes, u - minutes * 60'000'000'000};
}

bool under_a_second(int64_t n) {
  return n > -1'000'000'000 && n < 1'000'000'000;
}

}  // namespace

std::string format_duration_go(Duration d) {
  const int64_t n = d.count();
  if (n == 0)
    return "0s";
  std::string out = n < 0 ? "-" : "";
  if (under_a_second(n)) {
    const auto u = static_cast<std::uint64_t>(n < 0 ? -n : n);
    if (u < 1'000) {
      append_fraction(out, u, 0);
      return out + "ns";
    }
    if (u < 1'000'000) {
      append_fraction(out, u, 3);
      return out + "\xC2\xB5s";
    }
    append_fraction(out, u, 6);
    return out + "ms";
  }
  const Clockwise c = split(n);
  if (c.hours > 0)
    out += std::to_string(c.hours) + "h";
  if (c.hours > 0 || c.minutes > 0)
    out += std::to_string(c.minutes) + "m";
  append_fraction(out, c.nanos, 9);
  return out + "s";
}

std::string format_duration(Duration d) {
  if (under_a_second(d.count()))
    return format_duration_go(d);
  const Clockwise c = split(d.count());
  std::string out = c.negative ? "-" : "";
  if (c.hours > 0)
    out += std::to_string(c.hours) + "h";
  if (c.minutes > 0)
    out += std::to_string(c.minutes) + "m";
  if (c.nanos > 0) {
    append_fraction(out, c.nanos, 9);
    out += "s";
  }
  return out;
}

}  // namespace certmill
