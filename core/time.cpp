// RFC 3339 parsing and printing without locale or time-zone database.
#include "core/time.hpp"

#include <cstdio>

namespace certmill {
namespace {

using namespace std::chrono;

Error invalid(std::string_view text) {
  return Error(Errc::invalid_value, "invalid timestamp \"" + std::string(text) +
                                        "\": expected RFC 3339 such as 2024-05-01T10:00:00Z");
}

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool digits(std::string_view s, std::size_t pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size())
    return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

std::string format_date_time(sys_seconds t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

Result<MicroTime> parse_rfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec)) {
    return invalid(s);
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59)
    return invalid(s);

  std::size_t pos = 19;
  microseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t value = 0, scale = 1'000'000;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 1) {
        scale /= 10;
        value += (s[pos] - '0') * scale;
      }
      ++pos;
    }
    if (pos == start)
      return invalid(s);
    frac = microseconds{value};
  }

  seconds offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return invalid(s);
    }
    offset = hours{oh} + minutes{om};
    if (s[pos] == '-')
      offset = -offset;
    pos += 6;
  } else {
    return invalid(s);
  }
  if (pos != s.size())
    return invalid(s);

  const sys_seconds local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
  return MicroTime{local - offset} + frac;
}

std::string format_time(Time t) {
  return format_date_time(t) + "Z";
}

std::string format_micro_time(MicroTime t) {
  const auto whole = floor<seconds>(t);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>((t - whole).count()));
  return format_date_time(whole) + frac + "Z";
}

}  // namespace certmill
