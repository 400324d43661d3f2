// Cron parsing field by field, and the search for the next activation day by
// day, then hour and minute within a matching day.
#include "core/schedule/cron.hpp"

#include <array>
#include <string>
#include <vector>

namespace certmill::schedule {

namespace {

using namespace std::chrono;

struct Field {
  std::string_view name;
  int low;
  int high;
  // Names for values low, low + 1, ... (months and weekdays).
  std::array<std::string_view, 12> names{};
};

constexpr Field kMinute{"minute", 0, 59};
constexpr Field kHour{"hour", 0, 23};
constexpr Field kDay{"day of month", 1, 31};
constexpr Field kMonth{
    "month",
    1,
    12,
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
// 7 is Sunday too; parse() folds it onto 0.
constexpr Field kWeekday{"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

Error field_error(const Field& f, std::string_view item, const std::string& why) {
  return Error(Errc::invalid_value,
               "cron " + std::string(f.name) + " field \"" + std::string(item) + "\": " + why);
}

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != b[i])
      return false;
  }
  return true;
}

// A number or, where the field has them, a name; within the field's bounds.
Result<int> value(const Field& f, std::string_view item, std::string_view text) {
  for (std::size_t i = 0; i < f.names.size() && !f.names[i].empty(); ++i) {
    if (equal_fold(text, f.names[i]))
      return f.low + static_cast<int>(i);
  }
  if (text.empty() || text.size() > 4)
    return field_error(f, item, "\"" + std::string(text) + "\" is not a number");
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return field_error(f, item, "\"" + std::string(text) + "\" is not a number");
    n = n * 10 + (c - '0');
  }
  if (n < f.low || n > f.high)
    return field_error(
        f, item,
        std::to_string(n) + " is outside " + std::to_string(f.low) + "-" + std::to_string(f.high));
  return n;
}

struct Parsed {
  uint64_t bits = 0;
  bool any = false;  // an unstepped `*` or `?`
};

// One comma-separated item: a range with an optional step.
Status add_item(const Field& f, std::string_view item, Parsed& out) {
  std::string_view range = item;
  int step = 1;
  bool stepped = false;
  if (const auto slash = item.find('/'); slash != std::string_view::npos) {
    auto s = value({f.name, 0, 9999}, item, item.substr(slash + 1));
    if (!s)
      return s.error();
    if (*s == 0)
      return field_error(f, item, "the step must be a positive number");
    step = *s;
    stepped = true;
    range = item.substr(0, slash);
  }
  int low = 0, high = 0;
  if (range == "*" || range == "?") {
    low = f.low;
    high = f.high == 7 ? 6 : f.high;
    out.any = out.any || step == 1;
  } else {
    const auto dash = range.find('-');
    auto first = value(f, item, range.substr(0, dash));
    if (!first)
      return first.error();
    low = high = *first;
    if (dash != std::string_view::npos) {
      auto last = value(f, item, range.substr(dash + 1));
      if (!last)
        return last.error();
      high = *last;
    } else if (stepped) {
      high = f.high;  // robfig/cron: "N/step" is "N-max/step"
    }
    if (low > high)
      return field_error(
          f, item,
          "the range starts at " + std::to_string(low) + ", after its end " + std::to_string(high));
  }
  for (int n = low; n <= high; n += step)
    out.bits |= uint64_t{1} << n;
  return {};
}

Result<Parsed> parse_field(const Field& f, std::string_view text) {
  Parsed out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma - start);
    if (item.empty())
      return field_error(f, text, "an empty list item");
    if (Status s = add_item(f, item, out); !s)
      return s.error();
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Fields split on runs of white space, as Go's strings.Fields.
std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i]))
      ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i]))
      ++i;
    if (i > start)
      out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::string_view descriptor(std::string_view name) {
  if (name == "@yearly" || name == "@annually")
    return "0 0 1 1 *";
  if (name == "@monthly")
    return "0 0 1 * *";
  if (name == "@weekly")
    return "0 0 * * 0";
  if (name == "@daily" || name == "@midnight")
    return "0 0 * * *";
  if (name == "@hourly")
    return "0 * * * *";
  return {};
}

}  // namespace

Result<Cron> Cron::parse(std::string_view text) {
  std::vector<std::string_view> fields = split_fields(text);
  if (!fields.empty() && fields[0].starts_with('@')) {
    const std::string_view expanded = descriptor(fields[0]);
    if (expanded.empty())
      return Error(Errc::invalid_value,
                   "unknown cron descriptor \"" + std::string(fields[0]) +
                       "\" (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, "
                       "@hourly; @every has no place in a window, which has its own duration)");
    if (fields.size() > 1)
      return Error(Errc::invalid_value,
                   "the cron descriptor " + std::string(fields[0]) + " takes no fields after it");
    fields = split_fields(expanded);
  }
  if (!fields.empty() && (fields[0].starts_with("TZ=") || fields[0].starts_with("CRON_TZ=")))
    return Error(Errc::invalid_value,
                 "a cron time zone prefix (" + std::string(fields[0]) +
                     ") is not allowed: the window's timezone field sets the zone");
  if (fields.size() != 5)
    return Error(Errc::invalid_value,
                 "a cron expression has 5 fields (minute hour day-of-month month day-of-week), "
                 "found " +
                     std::to_string(fields.size()));
  const Field* specs[] = {&kMinute, &kHour, &kDay, &kMonth, &kWeekday};
  Parsed parsed[5];
  for (std::size_t i = 0; i < 5; ++i) {
    auto p = parse_field(*specs[i], fields[i]);
    if (!p)
      return p.error();
    parsed[i] = *p;
  }
  Cron c;
  c.minutes_ = parsed[0].bits;
  c.hours_ = static_cast<uint32_t>(parsed[1].bits);
  c.days_ = static_cast<uint32_t>(parsed[2].bits);
  c.months_ = static_cast<uint16_t>(parsed[3].bits);
  c.weekdays_ = static_cast<uint8_t>((parsed[4].bits | parsed[4].bits >> 7) & 0x7f);
  c.any_day_ = parsed[2].any;
  c.any_weekday_ = parsed[4].any;
  return c;
}

bool Cron::day_matches(year_month_day date) const {
  const bool by_day = (days_ >> static_cast<unsigned>(date.day())) & 1;
  const bool by_weekday = (weekdays_ >> weekday(sys_days(date)).c_encoding()) & 1;
  if (any_day_ || any_weekday_)
    return by_day && by_weekday;
  return by_day || by_weekday;
}

std::optional<LocalMinute> Cron::next(LocalMinute from) const {
  local_days day = floor<days>(from);
  int minute_of_day = static_cast<int>((from - day).count());
  const local_days last = day + floor<days>(kCronSearchSpan);
  for (; day <= last; ++day, minute_of_day = 0) {
    const year_month_day date(day);
    if (!((months_ >> static_cast<unsigned>(date.month())) & 1)) {
      // On to the first of the next month; the loop's ++day lands there.
      day = local_days(date.year() / date.month() / std::chrono::last);
      continue;
    }
    if (!day_matches(date))
      continue;
    for (int hour = minute_of_day / 60; hour < 24; ++hour) {
      if (!((hours_ >> hour) & 1))
        continue;
      const int first = hour == minute_of_day / 60 ? minute_of_day % 60 : 0;
      for (int minute = first; minute < 60; ++minute) {
        if ((minutes_ >> minute) & 1)
          return day + hours(hour) + minutes(minute);
      }
    }
  }
  return std::nullopt;
}

}  // namespace certmill::schedule
