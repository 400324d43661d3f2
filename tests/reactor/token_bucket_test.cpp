// TokenBucket arithmetic, table-driven on explicit times.
#include "reactor/token_bucket.hpp"

#include <catch2/catch.hpp>

using namespace certmill::reactor;
using namespace std::chrono_literals;
using TP = TokenBucket::TimePoint;

TEST_CASE("a bucket starts full and refills at its rate up to its burst") {
  const TP t0{};
  TokenBucket bucket(20, 50, t0);  // cert-manager's --kube-api-qps 20, --kube-api-burst 50
  for (int i = 0; i < 50; ++i)
    CHECK(bucket.try_take(t0));
  CHECK_FALSE(bucket.try_take(t0));
  CHECK(bucket.time_until(t0) == 50ms);
  CHECK_FALSE(bucket.try_take(t0 + 49ms));
  CHECK(bucket.try_take(t0 + 50ms));
  // A long pause saves up no more than the burst.
  CHECK(bucket.available(t0 + 1h) == Approx(50));
}

TEST_CASE("time_until answers for several tokens") {
  const TP t0{};
  struct Row {
    double rate, burst, take_first, ask;
    certmill::Duration expected;
  };
  const Row rows[] = {
      {10, 1, 1, 1, 100ms},  {10, 5, 5, 5, 500ms}, {0.5, 1, 1, 1, 2s},
      {100, 10, 0, 10, 0ms}, {1, 3, 2, 1, 0ms},
  };
  for (const auto& r : rows) {
    TokenBucket bucket(r.rate, r.burst, t0);
    if (r.take_first > 0)
      REQUIRE(bucket.try_take(t0, r.take_first));
    CHECK(bucket.time_until(t0, r.ask) == r.expected);
  }
}

TEST_CASE("a rate of zero means no limit, and a clock stepping back adds nothing") {
  const TP t0{};
  TokenBucket unlimited(0, 1, t0);
  for (int i = 0; i < 1000; ++i)
    CHECK(unlimited.try_take(t0));
  CHECK(unlimited.time_until(t0, 100) == certmill::Duration::zero());

  TokenBucket bucket(1, 1, t0 + 10s);
  REQUIRE(bucket.try_take(t0 + 10s));
  CHECK_FALSE(bucket.try_take(t0));
  CHECK(bucket.try_take(t0 + 11s));
}
