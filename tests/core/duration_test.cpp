// Go durations: parsing follows time.ParseDuration and printing follows
// time.Duration.String(), checked on the cases Go's own tests use.
#include "core/duration.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

using namespace certmill;
using namespace std::chrono;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

}  // namespace

TEST_CASE("valid durations parse to the nanosecond") {
  const std::pair<const char*, Duration> cases[] = {
      {"0", 0ns},
      {"-0", 0ns},
      {"+0", 0ns},
      {"2160h", 2160h},
      {"90m", 90min},
      {"1h30m45s", 1h + 30min + 45s},
      {"1.5s", 1500ms},
      {"300ms", 300ms},
      {"-1h", -1h},
      {"+5s", 5s},
      {"1us", 1us},
      {"1\xC2\xB5s", 1us},  // micro sign
      {"1\xCE\xBCs", 1us},  // Greek mu
      {"10ns", 10ns},
      {"5.0s", 5s},
      {"5.s", 5s},
      {"1.h", 1h},
      {".5s", 500ms},
      {"1.004s", 1004ms},
      {"100.00100s", 100s + 1ms},
      {"10.5s4m", 4min + 10s + 500ms},
      {"-2m3.4s", -(2min + 3s + 400ms)},
      {"1h2m3s4ms5us6ns", 1h + 2min + 3s + 4ms + 5us + 6ns},
      {"39h9m14.425s", 39h + 9min + 14s + 425ms},
      {"52763797000ns", 52763797000ns},
      {"0.3333333333333333333h", 20min},
      {"0.100000000000000000000h", 6min},
      {"0.830103483285477580700h", 49min + 48s + 372539827ns},
      {"9007199254740993ns", Duration(9007199254740993)},
      {"9223372036854775807ns", Duration(kMax)},
      {"9223372036854775.807us", Duration(kMax)},
      {"9223372036s854ms775us807ns", Duration(kMax)},
      {"-9223372036854775808ns", Duration(kMin)},
      {"-9223372036854775.808us", Duration(kMin)},
      {"-2562047h47m16.854775808s", Duration(kMin)},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    auto d = parse_duration(text);
    if (!d.ok())
      FAIL(d.error().message());
    CHECK(d->count() == expected.count());
  }
}

TEST_CASE("invalid durations are refused") {
  const char* cases[] = {
      "",
      "3",
      "10",
      "-",
      "+",
      "s",
      "h",
      ".",
      "-.",
      ".s",
      "+.s",
      "1x",
      "1d",
      "1.5",
      "1h 30m",
      " 1h",
      "1h ",
      "1H",
      "\x85\x85",
      "\xff\xff",
      "hello \xff world",
      "9999999999h",
      "9223372036854775808ns",
      "9223372036854775.808us",
      "9223372036854ms775us808ns",
      "-9223372036854775809ns",
      "2562048h",
  };
  for (const char* text : cases) {
    INFO(text);
    auto d = parse_duration(text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code() == Errc::invalid_value);
    CHECK_THAT(d.error().message(), Catch::StartsWith("invalid duration \""));
  }
}

TEST_CASE("format_duration_go prints what Go's Duration.String() prints") {
  const std::pair<Duration, const char*> cases[] = {
      {0ns, "0s"},
      {1ns, "1ns"},
      {1100ns, "1.1\xC2\xB5s"},
      {1us, "1\xC2\xB5s"},
      {2200us, "2.2ms"},
      {100ms, "100ms"},
      {1500ms, "1.5s"},
      {3300ms, "3.3s"},
      {4min + 5s, "4m5s"},
      {4min + 5001ms, "4m5.001s"},
      {5h + 6min + 7001ms, "5h6m7.001s"},
      {8min + 1ns, "8m0.000000001s"},
      {1h + 30min, "1h30m0s"},
      {2160h, "2160h0m0s"},
      {-1h, "-1h0m0s"},
      {-1500ms, "-1.5s"},
      {Duration(kMax), "2562047h47m16.854775807s"},
      {Duration(kMin), "-2562047h47m16.854775808s"},
  };
  for (const auto& [d, expected] : cases) {
    CHECK(format_duration_go(d) == expected);
  }
}

TEST_CASE("format_duration drops zero components") {
  const std::pair<Duration, const char*> cases[] = {
      {0ns, "0s"},
      {2160h, "2160h"},
      {90min, "1h30m"},
      {45s, "45s"},
      {1h + 30min + 45s, "1h30m45s"},
      {1500ms, "1.5s"},
      {300ms, "300ms"},
      {-1h, "-1h"},
      {1h + 500ms, "1h0.5s"},
      {1us, "1\xC2\xB5s"},
      {-300ms, "-300ms"},
      {Duration(kMin), "-2562047h47m16.854775808s"},
  };
  for (const auto& [d, expected] : cases) {
    CHECK(format_duration(d) == expected);
  }
}

TEST_CASE("both formats parse back to the same duration") {
  std::vector<Duration> values = {
      0ns, 1ns,  999ns, 1us,   1001ns, 1ms,      999999999ns,    1s,
      59s, 1min, 1h,    2160h, 8760h,  1h + 1ns, Duration(kMax), Duration(kMin)};
  // A deterministic spread over every magnitude, both signs.
  uint64_t x = 0x9E3779B97F4A7C15u;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const int shift = i % 63;
    const auto magnitude = static_cast<int64_t>(x >> (shift + 1));
    values.push_back(Duration(i % 2 == 0 ? magnitude : -magnitude));
  }
  for (const Duration d : values) {
    INFO(d.count());
    auto go = parse_duration(format_duration_go(d));
    REQUIRE(go.ok());
    CHECK(go->count() == d.count());
    auto short_form = parse_duration(format_duration(d));
    REQUIRE(short_form.ok());
    CHECK(short_form->count() == d.count());
  }
}
