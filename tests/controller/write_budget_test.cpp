// WriteBudgets: a burst passes, a loop is held to the refill rate, keys are
// independent, and full buckets are not kept.
#include "controller/write_budget.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::controller;
using std::chrono::seconds;

namespace {
const Time t0 = Time(std::chrono::seconds(1'800'000'000));
}

TEST_CASE("a burst of writes passes at once, and past it writes wait for the refill") {
  WriteBudgets budgets({.burst = 10, .refill = seconds(5)});
  for (int i = 0; i < 10; ++i)
    REQUIRE_FALSE(budgets.charge("apps/web", 1, t0));
  // Empty: the next write fits once one refill has passed.
  CHECK(budgets.charge("apps/web", 1, t0) == t0 + seconds(5));
  CHECK(budgets.charge("apps/web", 3, t0) == t0 + seconds(15));
  CHECK(budgets.charge("apps/web", 1, t0 + seconds(4)) == t0 + seconds(5));
  CHECK_FALSE(budgets.charge("apps/web", 1, t0 + seconds(5)));
  CHECK(budgets.charge("apps/web", 1, t0 + seconds(5)) == t0 + seconds(10));
}

TEST_CASE("a Certificate that writes in a loop gets the refill rate and no more") {
  WriteBudgets budgets({.burst = 24, .refill = seconds(5)});
  // Seven writes per round, as an issuance costs, tried every second for an
  // hour: three rounds pass at once, the fourth when the bucket has 7 again
  // (20 s), then one round per 35 s.
  int rounds = 0;
  for (int s = 0; s < 3600; ++s) {
    if (!budgets.charge("apps/loop", 7, t0 + seconds(s)))
      ++rounds;
  }
  CHECK(rounds == 3 + (3599 - 20) / 35 + 1);
  CHECK(rounds * 7 <= 24 + 3600 / 5);
}

TEST_CASE("each Certificate has its own bucket") {
  WriteBudgets budgets({.burst = 5, .refill = seconds(5)});
  REQUIRE_FALSE(budgets.charge("apps/a", 5, t0));
  CHECK(budgets.charge("apps/a", 1, t0));
  CHECK_FALSE(budgets.charge("apps/b", 5, t0));
  budgets.forget("apps/a");
  CHECK_FALSE(budgets.charge("apps/a", 5, t0));
}

TEST_CASE("more writes than the burst wait for a full bucket and take it") {
  WriteBudgets budgets({.burst = 5, .refill = seconds(5)});
  CHECK_FALSE(budgets.charge("apps/a", 9, t0));
  CHECK(budgets.charge("apps/a", 9, t0) == t0 + seconds(25));
  CHECK_FALSE(budgets.charge("apps/a", 0, t0));
}

TEST_CASE("full buckets are dropped, so a quiet fleet keeps none") {
  WriteBudgets budgets({.burst = 10, .refill = seconds(1)});
  for (int i = 0; i < 5000; ++i)
    budgets.charge("apps/c-" + std::to_string(i), 7, t0);
  CHECK(budgets.size() >= 1024);
  // Every bucket is full again after 7 s, and the sweep comes after the
  // refill time of a whole bucket (10 s): the next charge then prunes them.
  CHECK_FALSE(budgets.charge("apps/late", 1, t0 + seconds(11)));
  CHECK(budgets.size() < 1024);
  CHECK(budgets.size() >= 1);
}
