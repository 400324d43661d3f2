// Cron expressions: what parses (every field, names, ranges, steps, lists,
// descriptors), what does not and how the error says so, and when a
// schedule next fires (month ends, February 29, the day-of-month /
// day-of-week rule, a schedule that never fires).
#include "core/schedule/cron.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::schedule;
using namespace std::chrono;

namespace {

LocalMinute at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return LocalMinute(local_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm));
}

Cron cron(std::string_view text) {
  auto c = Cron::parse(text);
  INFO(text << ": " << (c ? "" : c.error().message()));
  REQUIRE(c);
  return *c;
}

std::string error_of(std::string_view text) {
  auto c = Cron::parse(text);
  return c ? std::string("(parsed)") : c.error().message();
}

std::optional<LocalMinute> next(std::string_view text, LocalMinute from) {
  return cron(text).next(from);
}

}  // namespace

TEST_CASE("cron: each field takes *, numbers, ranges, steps and lists", "[cron]") {
  const LocalMinute from = at(2026, 1, 1);  // a Thursday
  CHECK(next("* * * * *", from) == from);
  CHECK(next("5 * * * *", from) == at(2026, 1, 1, 0, 5));
  CHECK(next("*/15 * * * *", at(2026, 1, 1, 0, 1)) == at(2026, 1, 1, 0, 15));
  CHECK(next("10-20/5 * * * *", at(2026, 1, 1, 0, 16)) == at(2026, 1, 1, 0, 20));
  CHECK(next("10-20/5 * * * *", at(2026, 1, 1, 0, 21)) == at(2026, 1, 1, 1, 10));
  CHECK(next("50/5 * * * *", at(2026, 1, 1, 0, 56)) == at(2026, 1, 1, 1, 50));
  CHECK(next("1,3,59 * * * *", at(2026, 1, 1, 0, 4)) == at(2026, 1, 1, 0, 59));
  CHECK(next("0 4 * * *", from) == at(2026, 1, 1, 4, 0));
  CHECK(next("0 22-23 * * *", at(2026, 1, 1, 23, 1)) == at(2026, 1, 2, 22, 0));
  CHECK(next("0 0 15 * *", from) == at(2026, 1, 15));
  CHECK(next("0 0 1 6 *", from) == at(2026, 6, 1));
  CHECK(next("0 0 * * 1", from) == at(2026, 1, 5));
  CHECK(next("1-30/5 * * * *", from) == at(2026, 1, 1, 0, 1));
  CHECK(next("? * * * ?", from) == from);
  CHECK(next("  0\t4  * * 2 ", from) == at(2026, 1, 6, 4, 0));
}

TEST_CASE("cron: month and weekday names in any case, 7 is Sunday", "[cron]") {
  const LocalMinute from = at(2026, 1, 1);
  CHECK(next("0 0 1 MAR *", from) == at(2026, 3, 1));
  CHECK(next("0 0 1 jun-aug *", from) == at(2026, 6, 1));
  CHECK(next("0 0 * * SUN", from) == at(2026, 1, 4));
  CHECK(next("0 0 * * 7", from) == at(2026, 1, 4));
  CHECK(next("0 0 * * 0", from) == at(2026, 1, 4));
  CHECK(next("0 0 * * Fri-Sat", from) == at(2026, 1, 2));
  CHECK(next("0 0 * * 6-7", at(2026, 1, 5)) == at(2026, 1, 10));
  CHECK(next("0 0 * * mon,wed", at(2026, 1, 6)) == at(2026, 1, 7));
  CHECK(cron("0 0 * * 7") == cron("0 0 * * 0"));
  CHECK(cron("0 0 * * sun") == cron("0 0 * * SUN"));
}

TEST_CASE("cron: descriptors stand for their five fields", "[cron]") {
  CHECK(cron("@yearly") == cron("0 0 1 1 *"));
  CHECK(cron("@annually") == cron("0 0 1 1 *"));
  CHECK(cron("@monthly") == cron("0 0 1 * *"));
  CHECK(cron("@weekly") == cron("0 0 * * 0"));
  CHECK(cron("@daily") == cron("0 0 * * *"));
  CHECK(cron("@midnight") == cron("0 0 * * *"));
  CHECK(cron("@hourly") == cron("0 * * * *"));
  CHECK(next("@yearly", at(2026, 1, 1, 0, 1)) == at(2027, 1, 1));
}

TEST_CASE("cron: an error names the field and what is wrong", "[cron]") {
  CHECK(error_of("") ==
        "a cron expression has 5 fields (minute hour day-of-month month day-of-week), found 0");
  CHECK(error_of("* * * *") ==
        "a cron expression has 5 fields (minute hour day-of-month month day-of-week), found 4");
  CHECK(error_of("* * * * * *").find("found 6") != std::string::npos);
  CHECK(error_of("60 * * * *") == "cron minute field \"60\": 60 is outside 0-59");
  CHECK(error_of("* 24 * * *") == "cron hour field \"24\": 24 is outside 0-23");
  CHECK(error_of("* * 0 * *") == "cron day of month field \"0\": 0 is outside 1-31");
  CHECK(error_of("* * 32 * *") == "cron day of month field \"32\": 32 is outside 1-31");
  CHECK(error_of("* * * 13 *") == "cron month field \"13\": 13 is outside 1-12");
  CHECK(error_of("* * * 0 *") == "cron month field \"0\": 0 is outside 1-12");
  CHECK(error_of("* * * * 8") == "cron day of week field \"8\": 8 is outside 0-7");
  CHECK(error_of("* * * FOO *") == "cron month field \"FOO\": \"FOO\" is not a number");
  CHECK(error_of("* * * * MONDAY") ==
        "cron day of week field \"MONDAY\": \"MONDAY\" is not a number");
  CHECK(error_of("30-10 * * * *") ==
        "cron minute field \"30-10\": the range starts at 30, after its end 10");
  CHECK(error_of("*/0 * * * *") == "cron minute field \"*/0\": the step must be a positive number");
  CHECK(error_of("*/x * * * *") == "cron minute field \"*/x\": \"x\" is not a number");
  CHECK(error_of("1,,2 * * * *") == "cron minute field \"1,,2\": an empty list item");
  CHECK(error_of("1, * * * *") == "cron minute field \"1,\": an empty list item");
  CHECK(error_of("-5 * * * *") == "cron minute field \"-5\": \"\" is not a number");
  CHECK(error_of("1-2-3 * * * *") == "cron minute field \"1-2-3\": \"2-3\" is not a number");
  CHECK(error_of("99999 * * * *") == "cron minute field \"99999\": \"99999\" is not a number");
  CHECK(error_of("@every 1h").find("unknown cron descriptor \"@every\"") == 0);
  CHECK(error_of("@daily 5") == "the cron descriptor @daily takes no fields after it");
  CHECK(error_of("@reboot").find("unknown cron descriptor \"@reboot\"") == 0);
  CHECK(error_of("@DAILY").find("unknown cron descriptor") == 0);
  CHECK(error_of("CRON_TZ=UTC 0 4 * * *").find("a cron time zone prefix") == 0);
  CHECK(error_of("TZ=UTC 0 4 * * *").find("a cron time zone prefix") == 0);
}

TEST_CASE("cron: month ends and February 29", "[cron]") {
  CHECK(next("0 0 31 * *", at(2026, 2, 1)) == at(2026, 3, 31));
  CHECK(next("0 0 31 * *", at(2026, 4, 1)) == at(2026, 5, 31));
  CHECK(next("0 0 30 * *", at(2026, 2, 1)) == at(2026, 3, 30));
  CHECK(next("0 0 29 2 *", at(2026, 1, 1)) == at(2028, 2, 29));
  CHECK(next("0 0 29 2 *", at(2028, 2, 29, 0, 1)) == at(2032, 2, 29));
  CHECK(next("59 23 31 12 *", at(2026, 12, 31, 23, 59)) == at(2026, 12, 31, 23, 59));
  CHECK(next("0 0 1 * *", at(2026, 12, 31, 23, 59)) == at(2027, 1, 1));
}

TEST_CASE("cron: with both day fields restricted, either matches", "[cron]") {
  // The 13th, or any Friday.
  CHECK(next("0 0 13 * 5", at(2026, 1, 1)) == at(2026, 1, 2));    // Friday the 2nd
  CHECK(next("0 0 13 * 5", at(2026, 1, 10)) == at(2026, 1, 13));  // Tuesday the 13th
  // A `*` in either makes it an AND: only the 13th, only Fridays.
  CHECK(next("0 0 13 * *", at(2026, 1, 1)) == at(2026, 1, 13));
  CHECK(next("0 0 * * 5", at(2026, 1, 10)) == at(2026, 1, 16));
  // A stepped `*` restricts: every other day, or Sundays.
  CHECK(next("0 0 */2 * 0", at(2026, 1, 2)) == at(2026, 1, 3));
  CHECK(next("0 0 */2 * 0", at(2026, 1, 4)) == at(2026, 1, 4));
}

TEST_CASE("cron: a schedule that never fires ends the search", "[cron]") {
  CHECK_FALSE(next("0 0 30 2 *", at(2026, 1, 1)));
  CHECK_FALSE(next("0 0 31 4 *", at(2026, 1, 1)));
  CHECK_FALSE(next("0 0 31 2,4,6,9,11 *", at(2026, 1, 1)));
  // February 29 on a Monday fires within the span only if one comes.
  CHECK(next("0 0 29 2 *", at(2026, 1, 1)));
}
