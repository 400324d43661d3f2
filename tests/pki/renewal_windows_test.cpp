// Renewal windows: the desired time when a window is open then, the next
// window start otherwise, the earliest of several windows, windows on a
// zone's wall clock across daylight saving changes, and no time at all when
// no window opens before notAfter.
#include "core/pki/renewal_windows.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "core/schedule/zones.hpp"

using namespace certmill;
using namespace std::chrono;
using certmill::pki::first_window_time;
using certmill::pki::RenewalWindow;

namespace {

Time utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return Time(sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm) + seconds(ss));
}

RenewalWindow window(std::string_view cron, std::string_view zone, Duration length) {
  static schedule::ZoneLoader zones("/usr/share/zoneinfo");
  auto c = schedule::Cron::parse(cron);
  REQUIRE(c);
  auto z = zones.load(zone);
  REQUIRE(z);
  return {*c, *z, length};
}

// Tuesdays 04:00-07:00 in Chicago: 10:00-13:00 UTC in winter.
RenewalWindow tuesday_mornings() {
  return window("0 4 * * 2", "America/Chicago", hours(3));
}
const Time far_expiry = utc(2027, 1, 1);

}  // namespace

TEST_CASE("windows: an open window renews at the desired time", "[windows]") {
  const RenewalWindow w[] = {tuesday_mornings()};
  CHECK(first_window_time(utc(2026, 1, 6, 10), far_expiry, w) == utc(2026, 1, 6, 10));
  CHECK(first_window_time(utc(2026, 1, 6, 11, 30), far_expiry, w) == utc(2026, 1, 6, 11, 30));
  CHECK(first_window_time(utc(2026, 1, 6, 12, 59, 59), far_expiry, w) ==
        utc(2026, 1, 6, 12, 59, 59));
}

TEST_CASE("windows: outside every window, the next one's start", "[windows]") {
  const RenewalWindow w[] = {tuesday_mornings()};
  // 2026-01-01 is a Thursday: the next Tuesday is the 6th.
  CHECK(first_window_time(utc(2026, 1, 1), far_expiry, w) == utc(2026, 1, 6, 10));
  // The window is [04:00, 07:00): at its end, the next week's.
  CHECK(first_window_time(utc(2026, 1, 6, 13), far_expiry, w) == utc(2026, 1, 13, 10));
  // Summer: 04:00 CDT is 09:00 UTC.
  CHECK(first_window_time(utc(2026, 7, 1), far_expiry, w) == utc(2026, 7, 7, 9));
}

TEST_CASE("windows: the earliest of several windows", "[windows]") {
  const RenewalWindow w[] = {
      tuesday_mornings(),
      window("30 23 * * 0", "Asia/Kathmandu", minutes(30)),  // Sundays 17:45 UTC
      window("0 0 1 * *", "UTC", hours(24)),
  };
  CHECK(first_window_time(utc(2026, 1, 1, 12), far_expiry, w) == utc(2026, 1, 1, 12));
  CHECK(first_window_time(utc(2026, 1, 2), far_expiry, w) == utc(2026, 1, 4, 17, 45));
  CHECK(first_window_time(utc(2026, 1, 4, 18), far_expiry, w) == utc(2026, 1, 4, 18));
  CHECK(first_window_time(utc(2026, 1, 4, 18, 15), far_expiry, w) == utc(2026, 1, 6, 10));
}

TEST_CASE("windows: across daylight saving changes on the zone's clock", "[windows]") {
  // 02:30 does not exist in Chicago on 2026-03-08: the window opens at 03:30 CDT.
  const RenewalWindow gap[] = {window("30 2 * * *", "America/Chicago", minutes(10))};
  CHECK(first_window_time(utc(2026, 3, 8, 6), far_expiry, gap) == utc(2026, 3, 8, 8, 30));
  // 01:30 happens twice on 2026-11-01; the window opens at the first only.
  const RenewalWindow twice[] = {window("30 1 * * *", "America/Chicago", minutes(10))};
  CHECK(first_window_time(utc(2026, 11, 1, 6), far_expiry, twice) == utc(2026, 11, 1, 6, 30));
  CHECK(first_window_time(utc(2026, 11, 1, 7), far_expiry, twice) == utc(2026, 11, 2, 7, 30));
  // Lord Howe's 30-minute change: 02:15 on 2026-10-04 is skipped to 02:45.
  const RenewalWindow howe[] = {window("15 2 * * *", "Australia/Lord_Howe", minutes(5))};
  CHECK(first_window_time(utc(2026, 10, 3, 12), far_expiry, howe) == utc(2026, 10, 3, 15, 45));
}

TEST_CASE("windows: none before notAfter gives no time", "[windows]") {
  const RenewalWindow w[] = {tuesday_mornings()};
  // Desired on Wednesday, expiring before the next Tuesday.
  CHECK_FALSE(first_window_time(utc(2026, 1, 7), utc(2026, 1, 12), w));
  // A window opening exactly at notAfter is too late.
  CHECK_FALSE(first_window_time(utc(2026, 1, 7), utc(2026, 1, 13, 10), w));
  CHECK(first_window_time(utc(2026, 1, 7), utc(2026, 1, 13, 10, 0, 1), w) == utc(2026, 1, 13, 10));
  const RenewalWindow never[] = {window("0 0 30 2 *", "UTC", hours(24))};
  CHECK_FALSE(first_window_time(utc(2026, 1, 1), far_expiry, never));
  CHECK_FALSE(first_window_time(utc(2026, 1, 1), far_expiry, std::vector<RenewalWindow>{}));
  const RenewalWindow empty[] = {window("* * * * *", "UTC", Duration::zero())};
  CHECK_FALSE(first_window_time(utc(2026, 1, 1), far_expiry, empty));
}

TEST_CASE("windows: a window start on a non-UTC clock, every seven minutes", "[windows]") {
  const RenewalWindow w[] = {window("*/7 * * * *", "Asia/Kathmandu", minutes(1))};
  // 12:00:30 UTC is 17:45:30 in Kathmandu; minute 45 is not a multiple of 7,
  // 49 is: 17:49 local, 12:04 UTC.
  CHECK(first_window_time(utc(2026, 1, 1, 12, 0, 30), far_expiry, w) == utc(2026, 1, 1, 12, 4));
  // Inside the minute that opened at 17:49 local.
  CHECK(first_window_time(utc(2026, 1, 1, 12, 4, 59), far_expiry, w) == utc(2026, 1, 1, 12, 4, 59));
  // 17:56, then 18:00 (a new hour restarts the steps).
  CHECK(first_window_time(utc(2026, 1, 1, 12, 5), far_expiry, w) == utc(2026, 1, 1, 12, 11));
  CHECK(first_window_time(utc(2026, 1, 1, 12, 12), far_expiry, w) == utc(2026, 1, 1, 12, 15));
}
