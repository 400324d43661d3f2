// closing_after: what a rateLimited error closes for the whole ACME account.
// The CA's own 429 closes its limit until a second past its Retry-After; an
// order the line held back itself (held_back) closes nothing more, or every
// such order would push the closing a second later, and a steady trickle of
// them (the fault storm's 200 Certificates) kept an account closed for
// minutes after a 2 s Retry-After.
#include <catch2/catch.hpp>

#include "controller/runtime/rate_limit_scheduler.hpp"
#include "core/ratelimits/budget.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using controller::closing_after;
using controller::held_back;

namespace {

const Time t0 = Time(std::chrono::seconds(1'800'000'000));

Error ca_refusal(std::optional<std::chrono::seconds> retry_after) {
  Error e(acme::ProblemType::RateLimited, "too many new orders recently");
  return retry_after ? std::move(e).with_retry_after(*retry_after) : e;
}

}  // namespace

TEST_CASE("the CA's 429 closes its limit until a second past its Retry-After") {
  CHECK(closing_after(ca_refusal(2s), t0) == t0 + 3s);
  CHECK(closing_after(ca_refusal(0s), t0) == t0 + 1s);
  // Without a time: minutes, not a loop.
  CHECK(closing_after(ca_refusal(std::nullopt), t0) == t0 + 5min + 1s);
}

TEST_CASE("an error other than rateLimited closes nothing") {
  CHECK_FALSE(
      closing_after(Error(acme::ProblemType::ServerInternal, "oops").with_retry_after(2s), t0));
  CHECK_FALSE(closing_after(Error(Errc::missing_field, "no Location"), t0));
}

TEST_CASE("an order the line held back closes nothing more, also when given up on") {
  const ratelimits::Hold closed{ratelimits::Limit::NewOrdersPerAccount, "", t0 + 3s, true};
  const Error held = held_back(closed, t0 + 1s);
  CHECK(held.code() == acme::ProblemType::RateLimited);
  CHECK(held.retry_after() == 2s);
  CHECK_FALSE(closing_after(held, t0 + 1s));
  // The order's last attempt, as the ACME client words giving up.
  const Error gave_up =
      Error(acme::ProblemType::RateLimited, held.message() +
                                                " (rate limited 3 times in a row; "
                                                "giving up)")
          .with_retry_after(2s);
  CHECK_FALSE(closing_after(gave_up, t0 + 1s));
}

TEST_CASE("a CA's closing opens on time while orders are held back every second") {
  ratelimits::AccountBudget budget(ratelimits::CaLimits{});
  const ratelimits::OrderShape shape{{"example.com"}, "example.com", {"dns:example.com"}};
  const auto limit = ratelimits::Limit::NewOrdersPerAccount;
  budget.refused(limit, "", *closing_after(ca_refusal(2s), t0));

  // An order reaches its turn every 700 ms, is held back while the closing
  // lasts, and its refusal goes back as the controller sends it.
  int held = 0;
  ratelimits::Instant now = t0;
  for (; now < t0 + 30s; now += 700ms) {
    const auto closed = budget.closed(shape, now);
    if (!closed)
      break;
    ++held;
    if (auto until =
            closing_after(held_back(*closed, now), std::chrono::floor<std::chrono::seconds>(now)))
      budget.refused(limit, "", *until);
  }
  // The count sees the orders held back: the closing was there.
  CHECK(held == 5);
  CHECK(now == t0 + 3500ms);
}
