// The test servers' Retry-After ledger: what counts as coming back too early,
// and what does not (a request already on its way, another request, a wait
// that is over).
#include "tools/servers/retry_after_ledger.hpp"

#include <catch2/catch.hpp>

using certmill::servers::RetryAfterLedger;
using namespace std::chrono_literals;

namespace {
const RetryAfterLedger::Clock::time_point kStart{};
}

TEST_CASE("a request that comes back before its Retry-After is over counts, once per arrival") {
  RetryAfterLedger ledger(250ms);
  ledger.told("u GET /a", kStart + 10s, 2s);
  CHECK_FALSE(ledger.arrived("u GET /a", kStart + 10s + 100ms));  // on its way already
  CHECK(ledger.arrived("u GET /a", kStart + 10s + 250ms));
  CHECK(ledger.arrived("u GET /a", kStart + 11s + 999ms));
  CHECK(ledger.early() == 2);
  CHECK_FALSE(ledger.arrived("u GET /a", kStart + 12s));  // the wait is over
  CHECK_FALSE(ledger.arrived("u GET /a", kStart + 12s + 500ms));
  CHECK(ledger.early() == 2);
  CHECK(ledger.empty());
}

TEST_CASE("other requests, and other clients, are not held by one request's Retry-After") {
  RetryAfterLedger ledger;
  ledger.told("u GET /a", kStart, 5s);
  CHECK_FALSE(ledger.arrived("u GET /b", kStart + 1s));
  CHECK_FALSE(ledger.arrived("v GET /a", kStart + 1s));
  CHECK_FALSE(ledger.arrived("u POST /a", kStart + 1s));
  CHECK(ledger.early() == 0);
  CHECK(ledger.arrived("u GET /a", kStart + 1s));
  CHECK(ledger.early() == 1);
}

TEST_CASE("a later answer replaces the wait, and waits that are over are forgotten") {
  RetryAfterLedger ledger;
  ledger.told("u GET /a", kStart, 5s);
  ledger.told("u GET /a", kStart + 1s, 1s);
  CHECK_FALSE(ledger.arrived("u GET /a", kStart + 3s));
  ledger.told("u GET /b", kStart + 4s, 1s);
  ledger.told("u GET /c", kStart + 10s, 1s);  // sweeps /b, whose wait ended at 5 s
  CHECK_FALSE(ledger.empty());
  CHECK_FALSE(ledger.arrived("u GET /b", kStart + 10s + 500ms));
  CHECK(ledger.arrived("u GET /c", kStart + 10s + 500ms));
}
