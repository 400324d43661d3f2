// RFC 3339 timestamps as the API server writes them (metav1.Time and
// MicroTime): offsets, fractions, calendar limits.
#include "core/time.hpp"

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

using namespace certmill;
using namespace std::chrono;

namespace {

MicroTime utc(int y, unsigned m, unsigned d, hours h = {}, minutes mi = {}, seconds s = {},
              microseconds us = {}) {
  return MicroTime{sys_days{year{y} / m / d} + h + mi + s} + us;
}

}  // namespace

TEST_CASE("valid timestamps parse to UTC") {
  const std::pair<const char*, MicroTime> cases[] = {
      {"2024-05-01T10:00:00Z", utc(2024, 5, 1, 10h)},
      {"2024-05-01t10:00:00z", utc(2024, 5, 1, 10h)},
      {"1970-01-01T00:00:00Z", MicroTime{}},
      {"2024-05-01T12:00:00+02:00", utc(2024, 5, 1, 10h)},
      {"2024-05-01T04:30:00-05:30", utc(2024, 5, 1, 10h)},
      {"2024-05-01T00:30:00+01:00", utc(2024, 4, 30, 23h, 30min)},
      {"2024-12-31T23:00:00-01:00", utc(2025, 1, 1)},
      {"2024-05-01T10:00:00.5Z", utc(2024, 5, 1, 10h, {}, {}, 500000us)},
      {"2024-05-01T10:00:00.123456Z", utc(2024, 5, 1, 10h, {}, {}, 123456us)},
      {"2024-05-01T10:00:00.123456789Z", utc(2024, 5, 1, 10h, {}, {}, 123456us)},
      {"2024-05-01T10:00:00.000001+00:00", utc(2024, 5, 1, 10h, {}, {}, 1us)},
      {"2024-02-29T23:59:59Z", utc(2024, 2, 29, 23h, 59min, 59s)},
      {"2000-02-29T00:00:00Z", utc(2000, 2, 29)},
      {"2024-03-01T00:59:59+01:00", utc(2024, 2, 29, 23h, 59min, 59s)},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    auto t = parse_rfc3339(text);
    if (!t.ok())
      FAIL(t.error().message());
    CHECK(*t == expected);
  }
}

TEST_CASE("invalid timestamps are refused") {
  const char* cases[] = {
      "",
      "2024-05-01",
      "2024-05-01T10:00:00",
      "2024-05-01 10:00:00Z",
      "2024-05-01T10:00Z",
      "2024-5-01T10:00:00Z",
      "2024-05-01T10:00:00.Z",
      "2024-05-01T10:00:00+0200",
      "2024-05-01T10:00:00+02",
      "2024-05-01T10:00:00+24:00",
      "2024-05-01T10:00:00Zjunk",
      "2024-05-01T10:00:00Z ",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-02-30T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-05-00T00:00:00Z",
      "2024-05-01T24:00:00Z",
      "2024-05-01T23:60:00Z",
      "2024-05-01T23:59:60Z",
      "2024-05-01T1a:00:00Z",
      "\xff\xff\xff\xff-05-01T10:00:00Z",
  };
  for (const char* text : cases) {
    INFO(text);
    auto t = parse_rfc3339(text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code() == Errc::invalid_value);
  }
}

TEST_CASE("timestamps format in UTC and parse back") {
  CHECK(format_time(floor<seconds>(utc(2024, 2, 29, 23h, 59min, 59s))) == "2024-02-29T23:59:59Z");
  CHECK(format_time(Time{}) == "1970-01-01T00:00:00Z");
  CHECK(format_micro_time(utc(2024, 5, 1, 10h, {}, {}, 1us)) == "2024-05-01T10:00:00.000001Z");
  CHECK(format_micro_time(utc(2024, 5, 1, 10h)) == "2024-05-01T10:00:00.000000Z");
  for (const MicroTime t : {utc(2024, 2, 29, 12h, 0min, 0s, 999999us), utc(1999, 12, 31, 23h),
                            utc(2038, 1, 19, 3h, 14min, 8s), utc(9999, 12, 31, 23h, 59min, 59s)}) {
    auto again = parse_rfc3339(format_micro_time(t));
    REQUIRE(again.ok());
    CHECK(*again == t);
  }
}
