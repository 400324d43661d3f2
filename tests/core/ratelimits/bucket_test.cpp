// Limits as numbers: "N per period" parsing and exact GCRA waits, tokens
// left, and a bucket drained until a CA's Retry-After.
#include "core/ratelimits/bucket.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

namespace {
using Instant = std::chrono::steady_clock::time_point;
using Bucket = BasicBucket<Instant>;
}  // namespace

TEST_CASE("limit specs are COUNT/PERIOD and bad ones say how to write them") {
  auto spec = parse_limit_spec("300/3h");
  REQUIRE(spec.ok());
  CHECK(spec->count == 300);
  CHECK(spec->period == 3h);
  CHECK(format_limit_spec(*spec) == "300/3h");
  CHECK(parse_limit_spec("0")->count == 0);
  for (const char* bad : {"300", "x/3h", "300/", "300/3 hours", "5/-1h", "/1h"}) {
    auto parsed = parse_limit_spec(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message(), Catch::Contains("COUNT/PERIOD"));
  }
}

TEST_CASE("a bucket of N gives N tokens, then waits exactly period over N for the next") {
  Bucket bucket({2, 1h});
  const Instant t0{};
  CHECK(bucket.wait(t0) == Duration{});
  bucket.consume(t0);
  CHECK(bucket.wait(t0) == Duration{});
  bucket.consume(t0);
  CHECK(bucket.wait(t0) == 30min);
  CHECK(bucket.wait(t0 + 29min) == 1min);
  CHECK(bucket.wait(t0 + 30min) == Duration{});
  // Taking past empty pushes the wait further instead of being lost.
  bucket.consume(t0 + 30min);
  bucket.consume(t0 + 30min);
  CHECK(bucket.wait(t0 + 30min) == 1h);
  Bucket unlimited({0, {}});
  unlimited.consume(t0);
  CHECK(unlimited.wait(t0) == Duration{});
}

TEST_CASE("a bucket counts the tokens left and can be drained until a given time") {
  Bucket bucket({3, 3h});
  const Instant t0{};
  CHECK(bucket.available(t0) == 3);
  CHECK_FALSE(bucket.full_at());
  bucket.consume(t0);
  CHECK(bucket.available(t0) == 2);
  CHECK(bucket.available(t0 + 59min) == 2);
  CHECK(bucket.available(t0 + 1h) == 3);
  bucket.consume(t0);
  bucket.consume(t0);
  CHECK(bucket.available(t0) == 0);
  CHECK(bucket.available(t0 + 1h) == 1);
  CHECK(bucket.full_at() == t0 + 3h);

  // A CA that says "not before t0 + 2h" empties the bucket until then, and
  // no further: one token is back at exactly that time.
  Bucket told({300, 3h});
  told.drain_until(t0 + 2h);
  CHECK(told.available(t0) == 0);
  CHECK(told.wait(t0) == 2h);
  CHECK(told.wait(t0 + 2h) == Duration{});
  CHECK(told.available(t0 + 2h) == 1);
  // An earlier deadline never shortens a later one.
  told.drain_until(t0 + 1h);
  CHECK(told.wait(t0) == 2h);
  Bucket unlimited({0, {}});
  unlimited.drain_until(t0 + 1h);
  CHECK(unlimited.wait(t0) == Duration{});
}
