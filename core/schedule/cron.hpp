// Standard five-field cron expressions (minute hour day-of-month month
// day-of-week), as robfig/cron's ParseStandard reads them for cert-manager's
// renewal windows, and when one next fires on a local wall clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace certmill::schedule {

// A minute on a wall clock, in no particular zone.
using LocalMinute = std::chrono::local_time<std::chrono::minutes>;

// How far next() looks before it says a schedule never fires: `0 0 30 2 *`
// would otherwise search forever.
inline constexpr std::chrono::years kCronSearchSpan{5};

class Cron {
 public:
  // Fields are lists of `*`, `?`, N, N-M, each with an optional /step
  // (`*/15`, `1-30/5`; `N/step` runs from N to the field's end). Months
  // take JAN-DEC, weekdays SUN-SAT (any case); 7 is Sunday as well as 0.
  // The descriptors @yearly, @annually, @monthly, @weekly, @daily,
  // @midnight and @hourly stand for their five fields. The error names
  // the field and what is wrong with it.
  static Result<Cron> parse(std::string_view text);

  // The first activation at or after `from`; nullopt when there is none
  // within kCronSearchSpan.
  std::optional<LocalMinute> next(LocalMinute from) const;

  bool operator==(const Cron&) const = default;

 private:
  bool day_matches(std::chrono::year_month_day date) const;

  uint64_t minutes_ = 0;  // bit n: minute n
  uint32_t hours_ = 0;    // bit n: hour n
  uint32_t days_ = 0;     // bit n: day of month n (1-31)
  uint16_t months_ = 0;   // bit n: month n (1-12)
  uint8_t weekdays_ = 0;  // bit n: weekday n (0 = Sunday)
  // Vixie cron's rule: when both day fields are restricted (neither is an
  // unstepped `*`), a day matches if either does; otherwise both must.
  bool any_day_ = false;
  bool any_weekday_ = false;
};

}  // namespace certmill::schedule
