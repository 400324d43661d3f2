// The POSIX TZ string a TZif file ends with (RFC 8536 section 3.3), such as
// `CST6CDT,M3.2.0,M11.1.0`: the zone's rule for every instant after the
// file's table of transitions, which stops in 2037.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace certmill::schedule {

class PosixTz {
 public:
  // std offset [dst [offset] [,start[/time],end[/time]]], with RFC 8536's
  // extension of the transition time to -167..167 hours. Dates are Jn (1-365,
  // February 29 never counted), n (0-365, counted) or Mm.w.d. A zone with
  // daylight saving time but no rule takes the US one (M3.2.0,M11.1.0), as
  // glibc and Go do.
  static Result<PosixTz> parse(std::string_view text);

  // UT offsets in seconds east of Greenwich; `unix` is seconds since the epoch.
  int32_t offset_at(int64_t unix) const;
  // The first change of offset strictly after `unix`; nullopt without
  // daylight saving time.
  std::optional<int64_t> next_transition(int64_t unix) const;

  int32_t std_offset() const { return std_offset_; }
  std::optional<int32_t> dst_offset() const {
    return dst_ ? std::optional<int32_t>(dst_->offset) : std::nullopt;
  }

  struct Date {
    enum class Kind : uint8_t { Julian1, Julian0, MonthWeekDay } kind = Kind::MonthWeekDay;
    int day = 0;                           // Jn, n
    int month = 0, week = 0, weekday = 0;  // Mm.w.d
    int32_t time = 7200;                   // seconds after local midnight
  };

 private:
  struct Dst {
    int32_t offset;
    Date start, end;
  };
  // When DST starts and ends in `year`, as seconds since the epoch.
  std::pair<int64_t, int64_t> transitions(int year) const;

  int32_t std_offset_ = 0;
  std::optional<Dst> dst_;
};

}  // namespace certmill::schedule
