// POSIX TZ strings: a small recursive-descent parser, and the rule's
// transitions year by year (as Go's time package applies them).
#include "core/schedule/posix_tz.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace certmill::schedule {

namespace {

using namespace std::chrono;

Error invalid(std::string_view text, const std::string& why) {
  return Error(Errc::invalid_value, "TZ string \"" + std::string(text) + "\": " + why);
}

struct Cursor {
  std::string_view text;
  std::size_t at = 0;

  bool done() const { return at >= text.size(); }
  char peek() const { return done() ? '\0' : text[at]; }
  bool take(char c) {
    if (peek() != c)
      return false;
    ++at;
    return true;
  }
  bool digit() const { return peek() >= '0' && peek() <= '9'; }
};

bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A zone abbreviation: three or more letters, or <...> of letters, digits, + and -.
bool skip_name(Cursor& c) {
  const std::size_t start = c.at;
  if (c.take('<')) {
    while (!c.done() && c.peek() != '>') {
      const char ch = c.peek();
      if (!is_alpha(ch) && !c.digit() && ch != '+' && ch != '-')
        return false;
      ++c.at;
    }
    return c.take('>') && c.at - start >= 5;
  }
  while (is_alpha(c.peek()))
    ++c.at;
  return c.at - start >= 3;
}

std::optional<int> number(Cursor& c, int most) {
  if (!c.digit())
    return std::nullopt;
  int n = 0;
  while (c.digit()) {
    n = n * 10 + (c.peek() - '0');
    ++c.at;
    if (n > most)
      return std::nullopt;
  }
  return n;
}

// [+-]hh[:mm[:ss]] with hh up to `most_hours`, in seconds.
std::optional<int32_t> clock(Cursor& c, int most_hours) {
  int sign = 1;
  if (c.take('-'))
    sign = -1;
  else
    c.take('+');
  auto h = number(c, most_hours);
  if (!h)
    return std::nullopt;
  int32_t seconds = *h * 3600;
  if (c.take(':')) {
    auto m = number(c, 59);
    if (!m)
      return std::nullopt;
    seconds += *m * 60;
    if (c.take(':')) {
      auto s = number(c, 59);
      if (!s)
        return std::nullopt;
      seconds += *s;
    }
  }
  return sign * seconds;
}

std::optional<PosixTz::Date> date(Cursor& c) {
  PosixTz::Date d;
  if (c.take('J')) {
    auto n = number(c, 365);
    if (!n || *n < 1)
      return std::nullopt;
    d.kind = PosixTz::Date::Kind::Julian1;
    d.day = *n;
  } else if (c.take('M')) {
    auto m = number(c, 12);
    if (!m || *m < 1 || !c.take('.'))
      return std::nullopt;
    auto w = number(c, 5);
    if (!w || *w < 1 || !c.take('.'))
      return std::nullopt;
    auto wd = number(c, 6);
    if (!wd)
      return std::nullopt;
    d.month = *m;
    d.week = *w;
    d.weekday = *wd;
  } else {
    auto n = number(c, 365);
    if (!n)
      return std::nullopt;
    d.kind = PosixTz::Date::Kind::Julian0;
    d.day = *n;
  }
  if (c.take('/')) {
    auto t = clock(c, 167);
    if (!t)
      return std::nullopt;
    d.time = *t;
  }
  return d;
}

// Instants this far from the epoch (about year 5000) stand for the
// furthest: calendar years beyond it do not fit std::chrono::year.
constexpr int64_t kFurthest = 100'000'000'000;

int year_of(int64_t unix) {
  unix = std::clamp(unix, -kFurthest, kFurthest);
  return static_cast<int>(year_month_day(floor<days>(sys_seconds(seconds(unix)))).year());
}

// The local midnight that starts the rule's day in `y`, as days since the epoch.
sys_days day_of(year y, const PosixTz::Date& d) {
  switch (d.kind) {
    case PosixTz::Date::Kind::Julian1: {
      // Day 60 is March 1 in every year: February 29 is skipped.
      const int index = d.day - 1 + (y.is_leap() && d.day >= 60 ? 1 : 0);
      return sys_days(y / January / 1) + days(index);
    }
    case PosixTz::Date::Kind::Julian0:
      return sys_days(y / January / 1) + days(d.day);
    case PosixTz::Date::Kind::MonthWeekDay:
      break;
  }
  const month m(static_cast<unsigned>(d.month));
  const weekday wd(static_cast<unsigned>(d.weekday));
  if (d.week == 5)
    return sys_days(y / m / wd[last]);
  return sys_days(y / m / wd[static_cast<unsigned>(d.week)]);
}

}  // namespace

Result<PosixTz> PosixTz::parse(std::string_view text) {
  Cursor c{text};
  PosixTz tz;
  if (!skip_name(c))
    return invalid(text, "the standard time abbreviation must be 3 or more letters, or <...>");
  // POSIX offsets count west of Greenwich: CST6 is six hours behind UTC.
  auto std_west = clock(c, 24);
  if (!std_west)
    return invalid(text, "the standard time offset must be [+-]hh[:mm[:ss]], hh at most 24");
  tz.std_offset_ = -*std_west;
  if (c.done())
    return tz;
  if (!skip_name(c))
    return invalid(text, "the daylight time abbreviation must be 3 or more letters, or <...>");
  Dst dst{tz.std_offset_ + 3600, {}, {}};
  if (!c.done() && c.peek() != ',') {
    auto west = clock(c, 24);
    if (!west)
      return invalid(text, "the daylight time offset must be [+-]hh[:mm[:ss]], hh at most 24");
    dst.offset = -*west;
  }
  if (c.done()) {
    dst.start = {Date::Kind::MonthWeekDay, 0, 3, 2, 0, 7200};
    dst.end = {Date::Kind::MonthWeekDay, 0, 11, 1, 0, 7200};
  } else {
    if (!c.take(','))
      return invalid(text, "a ',' must start the daylight saving time rule");
    auto start = date(c);
    if (!start || !c.take(','))
      return invalid(text, "the rule's start must be Jn, n or Mm.w.d with an optional /time");
    auto end = date(c);
    if (!end)
      return invalid(text, "the rule's end must be Jn, n or Mm.w.d with an optional /time");
    dst.start = *start;
    dst.end = *end;
  }
  if (!c.done())
    return invalid(text, "unexpected text after the rule");
  tz.dst_ = dst;
  return tz;
}

std::pair<int64_t, int64_t> PosixTz::transitions(int y) const {
  // The start is written in standard time, the end in daylight time.
  const auto local = [&](const Date& d, int32_t offset) {
    const int64_t midnight = sys_seconds(day_of(year(y), d)).time_since_epoch().count();
    return midnight + d.time - offset;
  };
  return {local(dst_->start, std_offset_), local(dst_->end, dst_->offset)};
}

int32_t PosixTz::offset_at(int64_t unix) const {
  if (!dst_)
    return std_offset_;
  const int y = year_of(unix);
  const auto [start, end] = transitions(y);
  // Northern zones are in DST between start and end; southern ones outside.
  const bool in_dst = start < end ? (unix >= start && unix < end) : (unix >= start || unix < end);
  return in_dst ? dst_->offset : std_offset_;
}

std::optional<int64_t> PosixTz::next_transition(int64_t unix) const {
  if (!dst_ || dst_->offset == std_offset_)
    return std::nullopt;
  const int y = year_of(unix);
  std::optional<int64_t> best;
  for (int each = y - 1; each <= y + 1; ++each) {
    const auto [start, end] = transitions(each);
    for (int64_t t : {start, end}) {
      if (t > unix && (!best || t < *best))
        best = t;
    }
  }
  return best;
}

}  // namespace certmill::schedule
