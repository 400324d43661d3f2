// A time zone read from a TZif file (RFC 8536, versions 1 to 4), as
// /usr/share/zoneinfo holds them: the UT offset at any instant, and the
// instant a local wall-clock time names. libstdc++ 12 has no std::chrono
// tzdb, so certmill reads the files itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/schedule/posix_tz.hpp"
#include "core/time.hpp"

namespace certmill::schedule {

using LocalSeconds = std::chrono::local_seconds;

class Zone {
 public:
  // Version 2+ files are read from their 64-bit data and footer; a version 1
  // file from its 32-bit data. Every count and index is checked against the
  // bytes there are: a truncated or hostile file is an error.
  static Result<Zone> parse_tzif(std::string_view bytes);
  static Zone utc();

  // Seconds east of UTC.
  std::chrono::seconds offset_at(Time t) const;
  LocalSeconds to_local(Time t) const {
    return LocalSeconds((t + offset_at(t)).time_since_epoch());
  }
  // The instant a wall-clock time names. A time skipped by a change of offset
  // (02:30 when clocks jump from 02:00 to 03:00) moves forward by the gap, to
  // 03:30; a time that happens twice (01:30 when clocks fall back from 02:00
  // to 01:00) is its earlier instant, the one before the change.
  Time to_utc(LocalSeconds wall) const;

  // The least and greatest offsets the zone ever uses: how far a wall time
  // can be from the instant it names.
  std::chrono::seconds min_offset() const { return std::chrono::seconds(min_offset_); }
  std::chrono::seconds max_offset() const { return std::chrono::seconds(max_offset_); }

 private:
  int32_t offset_at(int64_t unix) const;
  // The first change of offset strictly after `unix`.
  std::optional<int64_t> next_transition(int64_t unix) const;

  std::vector<int64_t> transitions_;  // ascending
  std::vector<uint8_t> types_;        // the offset index after each transition
  std::vector<int32_t> offsets_;      // by type; offsets_[0] before the first transition
  std::optional<PosixTz> footer_;     // after the last transition
  int32_t min_offset_ = 0;
  int32_t max_offset_ = 0;
};

}  // namespace certmill::schedule
