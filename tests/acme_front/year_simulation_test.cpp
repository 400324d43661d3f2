// The scheduler over a simulated year against acme-front's Let's Encrypt
// limits (tests/support/rate_limit_year): 50,000 certificates on one account,
// a burst of 5,000 new ones on one day and 500 on one registered domain.
// Nothing expires and the CA refuses nothing; and the same counters do see
// refusals and expiries when the scheduler is not told the limits, or when
// the limits cannot carry the renewals.
#include <catch2/catch.hpp>

#include "tests/support/rate_limit_year.hpp"

using namespace certmill;
using namespace certmill::simulation;
using namespace std::chrono_literals;

TEST_CASE(
    "a year of 50,000 certificates under Let's Encrypt's limits: none expires, none refused") {
  const auto limits = ratelimits::lets_encrypt_production();
  const YearPlan plan;
  const auto report = simulate_year(plan, limits, limits);
  CHECK(report.certificates == 50'000);
  CHECK(report.refused == 0);
  CHECK(report.expired == 0);
  CHECK(report.projected_misses == 0);
  // It was a year of real work: every certificate renewed about four times,
  // authorizations failed and were retried, and the budget was the bound.
  CHECK(report.issued > 4 * 44'500);
  CHECK(report.failed_authorizations > 100);
  CHECK(report.worst_margin > 24h * 20);
  std::size_t most_counted = 0;
  unsigned least_tokens = ~0u;
  for (const DaySample& day : report.days) {
    most_counted = std::max(most_counted, day.counted_orders);
    least_tokens = std::min(least_tokens, day.least_account_tokens);
  }
  // Let's Encrypt lets 2,400 new orders a day through (300 per 3 h) plus the
  // 300 of a full bucket: the burst day used it all, and waited for the rest.
  CHECK(most_counted <= 2'700);
  CHECK(most_counted >= 2'000);
  CHECK(least_tokens == 0);
  // 500 on one domain at 50 a week (one back every 202 min): about 9 weeks.
  CHECK(report.longest_new_wait > 24h * 50);
  CHECK(report.longest_new_wait < 24h * 70);
}

TEST_CASE("the year's counters see refusals and expiries when they happen") {
  YearPlan plan;
  plan.existing = 2'000;
  plan.burst = 1'000;
  plan.one_domain = 100;
  plan.days = 120;
  const auto limits = ratelimits::lets_encrypt_production();
  // Told nothing, the scheduler learns the limits from 429s only.
  const auto blind = simulate_year(plan, limits, {});
  CHECK(blind.refused > 0);
  // Renewals without ARI under a duplicate limit of one a year cannot renew.
  plan.without_ari_every = 1;
  auto strict = limits;
  strict.certificates_per_exact_set = {1, 24h * 365};
  const auto starved = simulate_year(plan, strict, strict);
  CHECK(starved.expired > 0);
  CHECK(starved.projected_misses > 0);
  CHECK(starved.refused == 0);
}
