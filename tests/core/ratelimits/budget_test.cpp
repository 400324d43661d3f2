// An account's budgets: spending, Let's Encrypt's exemptions, holds, 429s
// that close one key of one limit, learning a limit, and forgetting.
#include "core/ratelimits/budget.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

namespace {

const Instant t0 = Instant{} + std::chrono::hours(24 * 365 * 50);

OrderShape shape(std::string domain, std::string set, bool renewal = false, bool replaces = false) {
  return OrderShape{{domain}, set, {"dns:" + set}, replaces, renewal};
}

}  // namespace

TEST_CASE("new orders spend the account's budget until it holds them back") {
  AccountBudget budget({{3, 3h}, {}, {}, {}});
  for (int i = 0; i < 3; ++i) {
    const auto order = shape("example.com", "n" + std::to_string(i) + ".example.com");
    CHECK_FALSE(budget.hold(order, t0));
    budget.placed(order, t0);
  }
  const auto held = budget.hold(shape("example.com", "n3.example.com"), t0);
  REQUIRE(held);
  CHECK(held->limit == Limit::NewOrdersPerAccount);
  CHECK(held->key.empty());
  CHECK(held->until == t0 + 1h);
  CHECK_FALSE(held->closed_by_ca);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0) == 0u);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0 + 1h) == 1u);
  CHECK(budget.refilled_at(Limit::NewOrdersPerAccount, t0) == t0 + 3h);
  CHECK(budget.exhausted(Limit::NewOrdersPerAccount, t0) == 1);
  CHECK(budget.exhausted(Limit::NewOrdersPerAccount, t0 + 1h) == 0);
}

TEST_CASE("renewals of the same names and ARI renewals are exempt as Let's Encrypt exempts them") {
  AccountBudget budget({{1, 3h}, {1, 168h}, {2, 168h}, {1, 1h}}, Duration{});
  budget.placed(shape("example.com", "a.example.com"), t0);
  // The account and the domain are spent; a new set on the domain waits.
  CHECK(budget.hold(shape("example.com", "b.example.com"), t0));
  // A renewal of a set issued before is counted by the exact-set limit only.
  const auto renewal = shape("example.com", "a.example.com", true);
  CHECK_FALSE(budget.hold(renewal, t0));
  budget.placed(renewal, t0);
  const auto duplicate = budget.hold(renewal, t0);
  REQUIRE(duplicate);
  CHECK(duplicate->limit == Limit::CertificatesPerExactSet);
  CHECK(duplicate->key == "a.example.com");
  // `replaces` is exempt from every check; its certificate still counts
  // against its set once issued, and nothing else.
  const auto ari = shape("example.com", "a.example.com", true, true);
  CHECK_FALSE(budget.hold(ari, t0));
  budget.placed(ari, t0);
  CHECK(budget.available(Limit::CertificatesPerExactSet, "a.example.com", t0) == 0u);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0) == 0u);
  // Failed authorizations hold back the identifier, even for a renewal.
  budget.authorization_failed("dns:c.example.com", t0);
  const auto failed = budget.hold(shape("other.org", "c.example.com", true), t0);
  REQUIRE(failed);
  CHECK(failed->limit == Limit::FailedAuthorizationsPerIdentifier);
  CHECK(failed->until == t0 + 1h);
  CHECK_FALSE(budget.hold(shape("other.org", "c.example.com", true, true), t0));
  for (Limit limit : kLimits) {
    INFO(limit_name(limit));
    CHECK(subject_to(shape("x.org", "x.org"), limit));
    CHECK_FALSE(subject_to(shape("x.org", "x.org", false, true), limit));
  }
}

TEST_CASE("a 429 closes its limit for its key alone, until the CA's time") {
  AccountBudget budget({{300, 3h}, {50, 168h}, {5, 168h}, {5, 1h}}, Duration{});
  budget.refused(Limit::CertificatesPerDomain, "example.com", t0 + 2h);
  const auto held = budget.hold(shape("example.com", "a.example.com"), t0);
  REQUIRE(held);
  CHECK(held->limit == Limit::CertificatesPerDomain);
  CHECK(held->until == t0 + 2h);
  // Another registered domain, and the account, go on.
  CHECK_FALSE(budget.hold(shape("example.org", "a.example.org"), t0));
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0) == 300u);
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0) == 0u);
  // At the CA's time one token is back, not the whole week's.
  CHECK_FALSE(budget.hold(shape("example.com", "a.example.com"), t0 + 2h));
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 2h) == 1u);
  // What the CA closed, apart from certmill's own counting.
  const auto closed = budget.closed(shape("example.com", "b.example.com"), t0);
  REQUIRE(closed);
  CHECK(closed->closed_by_ca);
  CHECK(closed->key == "example.com");
  CHECK_FALSE(budget.closed(shape("example.org", "b.example.org"), t0));
  CHECK_FALSE(budget.closed(shape("example.com", "b.example.com", true), t0));
  CHECK(budget.closings(t0).size() == 1);
  CHECK(budget.closings(t0 + 2h).empty());
}

TEST_CASE("a CA without known limits is held only by its 429s, and learns what they state") {
  AccountBudget budget({});
  for (int i = 0; i < 1000; ++i)
    budget.placed(shape("example.com", "n" + std::to_string(i)), t0);
  CHECK_FALSE(budget.hold(shape("example.com", "x"), t0));
  budget.refused(Limit::NewOrdersPerAccount, {}, t0 + 10min);
  const auto held = budget.hold(shape("example.com", "x"), t0);
  REQUIRE(held);
  CHECK(held->closed_by_ca);
  CHECK(held->until == t0 + 10min);
  budget.learn(Limit::NewOrdersPerAccount, {20, 1h});
  CHECK(budget.limits().new_orders_per_account == LimitSpec{20, 1h});
  budget.learn(Limit::NewOrdersPerAccount, {99, 1h});
  CHECK(budget.limits().new_orders_per_account == LimitSpec{20, 1h});
  // From now on certmill counts it itself.
  for (int i = 0; i < 20; ++i)
    budget.placed(shape("example.com", "m" + std::to_string(i)), t0 + 10min);
  CHECK(budget.hold(shape("example.com", "y"), t0 + 10min));
}

TEST_CASE("a certificate counts as of a margin after its order, as the CA counts it when issued") {
  // Four per 20 h, one back every 5 h; the CA counts each certificate when
  // it issues it, here 30 min after its order.
  const auto order = [](int i) { return shape("example.com", "n" + std::to_string(i)); };
  AccountBudget budget({{}, {4, 20h}, {}, {}}, 1h);
  for (int i = 0; i < 3; ++i) {
    CHECK_FALSE(budget.hold(order(i), t0));
    budget.placed(order(i), t0);
  }
  // The margin costs a little of the burst: the fourth waits an hour ...
  auto held = budget.hold(order(3), t0);
  REQUIRE(held);
  CHECK(held->limit == Limit::CertificatesPerDomain);
  CHECK(held->until == t0 + 1h);
  budget.placed(order(3), t0 + 1h);
  // ... and keeps the fifth from the CA's refusal: the CA, counting the
  // fourth at 1 h 30 min, has a token again at 5 h 30 min; certmill waits
  // until 6 h.
  held = budget.hold(order(4), t0 + 5h + 30min);
  REQUIRE(held);
  CHECK(held->until == t0 + 6h);
  // Without a margin the fifth would go at 5 h, and be refused.
  AccountBudget exact({{}, {4, 20h}, {}, {}}, Duration{});
  for (int i = 0; i < 4; ++i)
    exact.placed(order(i), t0);
  CHECK_FALSE(exact.hold(order(4), t0 + 5h));
}

TEST_CASE("forgetting drops only buckets that are full again") {
  AccountBudget budget({{300, 3h}, {50, 168h}, {5, 168h}, {5, 1h}}, Duration{});
  budget.placed(shape("example.com", "a.example.com"), t0);
  budget.refused(Limit::CertificatesPerDomain, "example.org", t0 + 1h);
  budget.forget_idle(t0 + 2h);
  // The domain's token is still away (one every 202 min); the account's
  // (one every 36 s) is back, and its bucket forgotten.
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 2h) == 49u);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0 + 2h) == 300u);
  CHECK(budget.exhausted(Limit::CertificatesPerDomain, t0 + 2h) == 0);
  CHECK(budget.closings(t0 + 2h).empty());
  budget.forget_idle(t0 + 169h);
  CHECK(budget.available(Limit::CertificatesPerDomain, "example.com", t0 + 169h) == 50u);
  CHECK_FALSE(budget.refilled_at(Limit::CertificatesPerDomain, t0 + 169h));
}

TEST_CASE("a new order is counted a clock's skew after it is sent") {
  // Three an hour, and the CA's clock up to 5 s from certmill's.
  AccountBudget budget({{3, 1h}, {}, {}, {}}, Duration{}, 5s);
  for (int i = 0; i < 3; ++i)
    budget.placed(shape("example.com", "n" + std::to_string(i)), t0);
  const auto held = budget.hold(shape("example.com", "n3"), t0);
  REQUIRE(held);
  CHECK(held->until == t0 + 20min + 5s);
  CHECK_FALSE(budget.hold(shape("example.com", "n3"), t0 + 20min + 5s));
}

TEST_CASE("a turn reserves a new-order token only once the limit is known") {
  AccountBudget budget({}, Duration{});
  const auto a = shape("example.com", "a.example.com");
  CHECK_FALSE(budget.reserves(a));
  budget.reserve(a, t0);
  CHECK(budget.reserved() == 0);
  CHECK_FALSE(budget.new_order_hold(t0));
  // A 429 teaches three an hour and closes the account for ten minutes.
  budget.learn(Limit::NewOrdersPerAccount, {3, 1h});
  budget.refused(Limit::NewOrdersPerAccount, {}, t0 + 10min);
  CHECK(budget.reserves(a));
  // ARI renewals are counted against no new-order limit.
  auto renewal = a;
  renewal.replaces = true;
  CHECK_FALSE(budget.reserves(renewal));
  // One token at the closing's end: a turn given then reserves it, and an
  // order beyond the turns waits for the next.
  CHECK(budget.new_order_hold(t0 + 5min)->until == t0 + 10min);
  CHECK_FALSE(budget.new_order_hold(t0 + 10min));
  budget.reserve(a, t0 + 10min);
  CHECK(budget.reserved() == 1);
  CHECK(budget.new_order_hold(t0 + 10min)->until == t0 + 30min);
}
