// Time zones from the system's TZif files (Debian's tzdata): offsets in and
// out of daylight saving time, half-hour and 45-minute zones, a gap and an
// overlap, instants after 2037 from the footer's rule; hand-made files for
// the version 1 layout and for truncated or hostile bytes.
#include "core/schedule/tzif.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "core/schedule/zones.hpp"

using namespace certmill;
using namespace certmill::schedule;
using namespace std::chrono;

namespace {

Time utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return Time(sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm));
}

LocalSeconds wall(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return local_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm);
}

const Zone& zone(std::string_view name) {
  static ZoneLoader loader("/usr/share/zoneinfo");
  auto z = loader.load(name);
  INFO(name << ": " << (z ? "" : z.error().message()));
  REQUIRE(z);
  return **z;
}

std::string bytes_of(std::string_view name) {
  std::ifstream in("/usr/share/zoneinfo/" + std::string(name), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

seconds hm(int h, int m = 0) {
  return hours(h) + minutes(m);
}

// A big-endian TZif builder for hand-made files.
struct Tzif {
  std::string out;
  void u32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
      out += static_cast<char>(v >> s);
  }
  void u64(uint64_t v) {
    for (int s = 56; s >= 0; s -= 8)
      out += static_cast<char>(v >> s);
  }
  void header(char version, uint32_t timecnt, uint32_t typecnt, uint32_t charcnt) {
    out += "TZif";
    out += version;
    out += std::string(15, '\0');
    for (uint32_t count : {0u, 0u, 0u, timecnt, typecnt, charcnt})
      u32(count);
  }
  void type(int32_t offset, bool dst, uint8_t designation) {
    u32(static_cast<uint32_t>(offset));
    out += static_cast<char>(dst);
    out += static_cast<char>(designation);
  }
};

// A version 1 zone: +01:00 until 2000-01-01, then +02:00.
std::string version1_file() {
  Tzif f;
  f.header('\0', 1, 2, 4);
  f.u32(946684800);
  f.out += '\1';
  f.type(3600, false, 0);
  f.type(7200, true, 0);
  f.out += std::string("ABC\0", 4);
  return f.out;
}

// A version 2 zone with no transitions and a footer.
std::string version2_file(std::string_view footer) {
  Tzif f;
  f.header('2', 0, 1, 4);
  f.type(0, false, 0);
  f.out += std::string("UTC\0", 4);
  f.header('2', 0, 1, 4);
  f.type(0, false, 0);
  f.out += std::string("UTC\0", 4);
  f.out += "\n" + std::string(footer) + "\n";
  return f.out;
}

}  // namespace

TEST_CASE("tzif: America/Chicago, standard and daylight time", "[tzif]") {
  const Zone& z = zone("America/Chicago");
  CHECK(z.offset_at(utc(2026, 1, 15)) == -hm(6));
  CHECK(z.offset_at(utc(2026, 7, 15)) == -hm(5));
  // 2026-03-08 02:00 CST is 08:00 UTC; 2026-11-01 02:00 CDT is 07:00 UTC.
  CHECK(z.offset_at(utc(2026, 3, 8, 7, 59)) == -hm(6));
  CHECK(z.offset_at(utc(2026, 3, 8, 8, 0)) == -hm(5));
  CHECK(z.offset_at(utc(2026, 11, 1, 6, 59)) == -hm(5));
  CHECK(z.offset_at(utc(2026, 11, 1, 7, 0)) == -hm(6));
  CHECK(z.to_local(utc(2026, 7, 15, 12)) == wall(2026, 7, 15, 7));
  CHECK(z.to_utc(wall(2026, 1, 15, 4)) == utc(2026, 1, 15, 10));
}

TEST_CASE("tzif: a wall time in the gap moves forward, an ambiguous one is the earlier", "[tzif]") {
  const Zone& z = zone("America/Chicago");
  // 02:30 does not exist on 2026-03-08: read with CST it is 08:30 UTC, 03:30 CDT.
  CHECK(z.to_utc(wall(2026, 3, 8, 2, 30)) == utc(2026, 3, 8, 8, 30));
  CHECK(z.to_local(z.to_utc(wall(2026, 3, 8, 2, 30))) == wall(2026, 3, 8, 3, 30));
  CHECK(z.to_utc(wall(2026, 3, 8, 2, 0)) == utc(2026, 3, 8, 8, 0));
  CHECK(z.to_utc(wall(2026, 3, 8, 3, 0)) == utc(2026, 3, 8, 8, 0));
  // 01:30 happens twice on 2026-11-01: first in CDT (06:30 UTC), then CST.
  CHECK(z.to_utc(wall(2026, 11, 1, 1, 30)) == utc(2026, 11, 1, 6, 30));
  CHECK(z.to_utc(wall(2026, 11, 1, 2, 0)) == utc(2026, 11, 1, 8, 0));
  CHECK(z.to_utc(wall(2026, 11, 1, 0, 59)) == utc(2026, 11, 1, 5, 59));
}

TEST_CASE("tzif: Europe/Berlin", "[tzif]") {
  const Zone& z = zone("Europe/Berlin");
  CHECK(z.offset_at(utc(2026, 1, 15)) == hm(1));
  CHECK(z.offset_at(utc(2026, 7, 15)) == hm(2));
  // The last Sunday of March, 01:00 UTC.
  CHECK(z.offset_at(utc(2026, 3, 29, 0, 59)) == hm(1));
  CHECK(z.offset_at(utc(2026, 3, 29, 1, 0)) == hm(2));
  CHECK(z.to_utc(wall(2026, 3, 29, 2, 30)) == utc(2026, 3, 29, 1, 30));
  CHECK(z.to_utc(wall(2026, 10, 25, 2, 30)) == utc(2026, 10, 25, 0, 30));
}

TEST_CASE("tzif: Australia/Lord_Howe moves its clocks by 30 minutes", "[tzif]") {
  const Zone& z = zone("Australia/Lord_Howe");
  CHECK(z.offset_at(utc(2026, 1, 15)) == hm(11));
  CHECK(z.offset_at(utc(2026, 7, 15)) == hm(10, 30));
  // DST starts on the first Sunday of October at 02:00 local (+10:30), which
  // is 2026-10-03 15:30 UTC; 02:00-02:30 does not exist.
  CHECK(z.offset_at(utc(2026, 10, 3, 15, 29)) == hm(10, 30));
  CHECK(z.offset_at(utc(2026, 10, 3, 15, 30)) == hm(11));
  CHECK(z.to_utc(wall(2026, 10, 4, 2, 15)) == utc(2026, 10, 3, 15, 45));
  CHECK(z.to_local(utc(2026, 10, 3, 15, 45)) == wall(2026, 10, 4, 2, 45));
}

TEST_CASE("tzif: Asia/Kathmandu is 5:45 ahead", "[tzif]") {
  const Zone& z = zone("Asia/Kathmandu");
  CHECK(z.offset_at(utc(2026, 1, 15)) == hm(5, 45));
  CHECK(z.offset_at(utc(2026, 7, 15)) == hm(5, 45));
  CHECK(z.to_utc(wall(2026, 1, 15, 5, 45)) == utc(2026, 1, 15));
  CHECK(z.min_offset() <= hm(5, 30));
}

TEST_CASE("tzif: after 2037 the footer's rule decides", "[tzif]") {
  const Zone& chicago = zone("America/Chicago");
  // 2050-03-13 is the second Sunday of March; 2050-11-06 the first of November.
  CHECK(chicago.offset_at(utc(2050, 3, 13, 7, 59)) == -hm(6));
  CHECK(chicago.offset_at(utc(2050, 3, 13, 8, 0)) == -hm(5));
  CHECK(chicago.offset_at(utc(2050, 11, 6, 6, 59)) == -hm(5));
  CHECK(chicago.offset_at(utc(2050, 11, 6, 7, 0)) == -hm(6));
  CHECK(chicago.to_utc(wall(2050, 3, 13, 2, 30)) == utc(2050, 3, 13, 8, 30));
  const Zone& howe = zone("Australia/Lord_Howe");
  CHECK(howe.offset_at(utc(2060, 1, 15)) == hm(11));
  CHECK(howe.offset_at(utc(2060, 7, 15)) == hm(10, 30));
  const Zone& berlin = zone("Europe/Berlin");
  CHECK(berlin.offset_at(utc(2099, 3, 29, 1, 0)) == hm(2));
  CHECK(berlin.offset_at(utc(2099, 3, 29, 0, 59)) == hm(1));
}

TEST_CASE("tzif: a version 1 file and footers with every rule form", "[tzif]") {
  auto v1 = Zone::parse_tzif(version1_file());
  REQUIRE(v1);
  CHECK(v1->offset_at(utc(1999, 12, 31, 23, 59)) == hm(1));
  CHECK(v1->offset_at(utc(2000, 1, 1)) == hm(2));

  // Jn never counts February 29: J60 is March 1, also in 2028.
  auto julian = Zone::parse_tzif(version2_file("XST0XDT,J60/0,J300/0"));
  REQUIRE(julian);
  CHECK(julian->offset_at(utc(2028, 2, 29, 12)) == hm(0));
  CHECK(julian->offset_at(utc(2028, 3, 1, 0)) == hm(1));
  // n counts it: day 59 is February 29 in 2028, March 1 in 2027.
  auto zero_based = Zone::parse_tzif(version2_file("XST0XDT,59/0,300/0"));
  REQUIRE(zero_based);
  CHECK(zero_based->offset_at(utc(2028, 2, 29, 0)) == hm(1));
  CHECK(zero_based->offset_at(utc(2027, 2, 28, 23)) == hm(0));
  CHECK(zero_based->offset_at(utc(2027, 3, 1, 0)) == hm(1));
  // Negative and beyond-24h times (RFC 8536): -1:00 the day before, and
  // 25:00 on the first Sunday of November 2026 (the 1st) is the 2nd, 01:00.
  auto extended = Zone::parse_tzif(version2_file("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"));
  REQUIRE(extended);
  // The last Sunday of March 2026 is the 29th: -2:00 local (-03) is the
  // 28th at 22:00 local, 2026-03-29 01:00 UTC.
  CHECK(extended->offset_at(utc(2026, 3, 29, 0, 59)) == -hm(3));
  CHECK(extended->offset_at(utc(2026, 3, 29, 1, 0)) == -hm(2));
  auto late = Zone::parse_tzif(version2_file("AST4ADT,M3.2.0,M11.1.0/25"));
  REQUIRE(late);
  CHECK(late->offset_at(utc(2026, 11, 2, 3, 59)) == -hm(3));
  CHECK(late->offset_at(utc(2026, 11, 2, 4, 0)) == -hm(4));
  // No rule: the US one.
  auto us = Zone::parse_tzif(version2_file("EST5EDT"));
  REQUIRE(us);
  CHECK(us->offset_at(utc(2026, 7, 1)) == -hm(4));
  CHECK(us->offset_at(utc(2026, 1, 1)) == -hm(5));
  // Offsets with minutes and seconds.
  auto odd = Zone::parse_tzif(version2_file("<+0545>-5:45"));
  REQUIRE(odd);
  CHECK(odd->offset_at(utc(2026, 1, 1)) == hm(5, 45));
}

TEST_CASE("tzif: truncated, malformed and hostile bytes are errors", "[tzif]") {
  const std::string real = bytes_of("America/Chicago");
  REQUIRE(real.size() > 100);
  for (std::size_t size = 0; size < real.size(); size += (size < 100 ? 1 : 37)) {
    INFO("first " << size << " bytes");
    CHECK_FALSE(Zone::parse_tzif(std::string_view(real).substr(0, size)));
  }
  CHECK(Zone::parse_tzif(real));
  CHECK_FALSE(Zone::parse_tzif("garbage that is not a zone at all, and long enough for a header"));
  CHECK_FALSE(Zone::parse_tzif(version2_file("not a tz string")));
  CHECK_FALSE(Zone::parse_tzif(version2_file("EST5EDT,M13.1.0,M11.1.0")));
  CHECK_FALSE(Zone::parse_tzif(version2_file("EST5EDT,M3.2.0")));
  CHECK_FALSE(Zone::parse_tzif(version2_file("EST25")));
  CHECK_FALSE(Zone::parse_tzif(version2_file("EST5EDT,M3.2.0/168,M11.1.0")));

  Tzif huge;  // counts that promise gigabytes
  huge.header('2', 0xffffffff, 1, 4);
  CHECK(Zone::parse_tzif(huge.out).error().message().find("truncated") != std::string::npos);

  Tzif no_types;
  no_types.header('\0', 0, 0, 4);
  CHECK_FALSE(Zone::parse_tzif(no_types.out));

  Tzif bad_index;  // a transition to type 5 of 1
  bad_index.header('\0', 1, 1, 4);
  bad_index.u32(0);
  bad_index.out += '\5';
  bad_index.type(0, false, 0);
  bad_index.out += std::string("UTC\0", 4);
  CHECK(Zone::parse_tzif(bad_index.out).error().message().find("type index") != std::string::npos);

  Tzif far_offset;  // +100 hours
  far_offset.header('\0', 0, 1, 4);
  far_offset.type(360000, false, 0);
  far_offset.out += std::string("UTC\0", 4);
  CHECK_FALSE(Zone::parse_tzif(far_offset.out));

  Tzif unsorted;
  unsorted.header('\0', 2, 1, 4);
  unsorted.u32(100);
  unsorted.u32(50);
  unsorted.out += std::string(2, '\0');
  unsorted.type(0, false, 0);
  unsorted.out += std::string("UTC\0", 4);
  CHECK(Zone::parse_tzif(unsorted.out).error().message().find("ascending") != std::string::npos);

  std::string no_footer_newline = version2_file("UTC0");
  no_footer_newline.pop_back();
  CHECK_FALSE(Zone::parse_tzif(no_footer_newline));
}

TEST_CASE("zones: names are checked, loaded once, and UTC needs no file", "[tzif]") {
  ZoneLoader loader("/usr/share/zoneinfo");
  auto a = loader.load("America/Chicago");
  auto b = loader.load("America/Chicago");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->get() == b->get());
  CHECK_FALSE(loader.load("America/Nowhere"));
  CHECK_FALSE(loader.load("America"));  // a directory
  CHECK(loader.load("../etc/passwd").error().message().find("only letters") != std::string::npos);
  CHECK_FALSE(loader.load("/etc/passwd"));
  CHECK_FALSE(loader.load("America//Chicago"));
  CHECK_FALSE(loader.load(""));
  CHECK_FALSE(loader.load("zone.tab"));

  ZoneLoader empty("/nonexistent-zoneinfo");
  auto utc_zone = empty.load("UTC");
  REQUIRE(utc_zone);
  CHECK((*utc_zone)->offset_at(utc(2026, 7, 1)) == seconds(0));
  CHECK(empty.load("America/Chicago").error().message().find("/nonexistent-zoneinfo") !=
        std::string::npos);
}
