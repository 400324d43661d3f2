// Replaying an earlier process's Orders brings the budgets back to what the
// CA counts: the same as spending them live, in any order given, with failed
// orders, exempt renewals and long-past orders counted as the CA counts them.
#include "core/ratelimits/past_orders.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

namespace {

const Instant t0 = Instant{} + std::chrono::hours(24 * 365 * 50);

const CaLimits kScaled{{4, 3h}, {3, 168h}, {2, 168h}, {2, 1h}};

OrderShape shape(std::string domain, std::string set, bool renewal = false, bool replaces = false) {
  return OrderShape{{domain}, set, {"dns:" + set}, replaces, renewal};
}

// What both budgets answer for every limit and key the orders touch.
void check_same(const AccountBudget& a, const AccountBudget& b, Instant now) {
  CHECK(a.available(Limit::NewOrdersPerAccount, {}, now) ==
        b.available(Limit::NewOrdersPerAccount, {}, now));
  CHECK(a.refilled_at(Limit::NewOrdersPerAccount, now) ==
        b.refilled_at(Limit::NewOrdersPerAccount, now));
  for (const char* domain : {"example.com", "example.org"})
    CHECK(a.available(Limit::CertificatesPerDomain, domain, now) ==
          b.available(Limit::CertificatesPerDomain, domain, now));
  for (const char* set : {"a.example.com", "b.example.com", "c.example.org"})
    CHECK(a.available(Limit::CertificatesPerExactSet, set, now) ==
          b.available(Limit::CertificatesPerExactSet, set, now));
}

}  // namespace

TEST_CASE("replayed Orders spend the budgets as the orders did, in whatever order listed") {
  const std::vector<PastOrder> orders{
      {shape("example.com", "a.example.com"), t0},
      {shape("example.org", "c.example.org"), t0 + 20min},
      {shape("example.com", "b.example.com"), t0 + 40min},
      {shape("example.com", "a.example.com", true), t0 + 50min},
  };
  AccountBudget live(kScaled);
  for (const PastOrder& order : orders)
    live.placed(order.shape, order.placed);
  AccountBudget rebuilt(kScaled);
  replay(rebuilt, {orders[3], orders[1], orders[0], orders[2]}, t0 + 1h);
  check_same(live, rebuilt, t0 + 1h);
  // The count sees the spending: three new orders of four (the renewal is
  // exempt), one back after 45 minutes; two certificates of example.com's
  // three; a.example.com's set spent twice.
  CHECK(rebuilt.available(Limit::NewOrdersPerAccount, {}, t0 + 1h) == 2u);
  CHECK(rebuilt.available(Limit::CertificatesPerDomain, "example.com", t0 + 2h) == 1u);
  CHECK(rebuilt.hold(shape("example.com", "a.example.com", true), t0 + 1h));
  CHECK_FALSE(rebuilt.hold(shape("example.com", "d.example.com"), t0 + 1h));
}

TEST_CASE("a failed order counts as a new order, not as a certificate") {
  AccountBudget budget(kScaled);
  replay(budget, {{shape("example.com", "a.example.com"), t0, false}}, t0 + 1min);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0 + 1min) == 3u);
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 1min) == 3u);
  CHECK(budget.available(Limit::CertificatesPerExactSet, "a.example.com", t0 + 1min) == 2u);
}

TEST_CASE("an invalid order's identifiers spend their failed authorizations when it failed") {
  AccountBudget budget(kScaled);
  const auto order = shape("example.com", "a.example.com");
  replay(budget, {{order, t0, false, t0 + 5min}, {order, t0 + 10min, false, t0 + 12min}},
         t0 + 15min);
  const auto held = budget.hold(order, t0 + 15min);
  REQUIRE(held);
  CHECK(held->limit == Limit::FailedAuthorizationsPerIdentifier);
  CHECK(held->key == "dns:a.example.com");
  // Two per hour: the first token is back half an hour after it was spent.
  CHECK(held->until == t0 + 5min + 30min);
}

TEST_CASE("an ARI renewal is counted against its set only, as the CA counts it") {
  AccountBudget budget(kScaled);
  replay(budget, {{shape("example.com", "a.example.com", true, true), t0}}, t0 + 1min);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0 + 1min) == 4u);
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 1min) == 3u);
  CHECK(budget.available(Limit::CertificatesPerExactSet, "a.example.com", t0 + 2h) == 1u);
}

TEST_CASE("orders older than every limit's period are passed over") {
  // Five certificates of example.com a week and an hour ago, more than the
  // CA would have allowed (a limit learned later): the CA refuses without
  // counting, so nothing of them is left. Spent here, they would hold the
  // domain for weeks.
  std::vector<PastOrder> orders;
  for (int i = 0; i < 5; ++i)
    orders.push_back({shape("example.com", "n" + std::to_string(i) + ".example.com"), t0});
  orders.push_back({shape("example.com", "b.example.com"), t0 + 160h});
  AccountBudget budget(kScaled);
  replay(budget, orders, t0 + 169h);
  // The last one still holds a token of the domain and of its set.
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 169h) == 2u);
  CHECK(budget.available(Limit::CertificatesPerExactSet, "b.example.com", t0 + 169h) == 1u);
  CHECK(budget.available(Limit::CertificatesPerExactSet, "n0.example.com", t0 + 169h) == 2u);
}
