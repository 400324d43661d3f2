// Backoff: cert-manager's issuance schedule and jitter bounds.
#include "reactor/backoff.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::reactor;
using namespace std::chrono_literals;

TEST_CASE("issuance backoff is 1h, doubling, capped at 32h") {
  const std::vector<Duration> expected = {1h, 2h, 4h, 8h, 16h, 32h, 32h, 32h};
  for (unsigned attempt = 0; attempt < expected.size(); ++attempt) {
    CHECK(backoff_delay(kIssuanceBackoff, attempt, 0.5) == expected[attempt]);
  }
  CHECK(backoff_delay(kIssuanceBackoff, 1000, 0.5) == 32h);
}

TEST_CASE("jitter spreads a delay inside its bounds and never past the cap") {
  const BackoffPolicy policy{1s, 30s, 2.0, 0.2};
  CHECK(backoff_delay(policy, 0, 0.0) == 800ms);
  CHECK(backoff_delay(policy, 0, 0.5) == 1s);
  CHECK(backoff_delay(policy, 2, 0.0) == 3200ms);
  CHECK(backoff_delay(policy, 10, 0.999) == 30s);

  Backoff backoff(policy, 42);
  for (unsigned i = 0; i < 20; ++i) {
    const Duration d = backoff.next();
    const Duration base = backoff_delay(policy, i, 0.5);
    CHECK(d >= std::chrono::duration_cast<Duration>(base * 0.8) - 1ns);
    CHECK(d <= std::min<Duration>(30s, std::chrono::duration_cast<Duration>(base * 1.2) + 1ns));
  }
  CHECK(backoff.attempts() == 20);
  backoff.reset();
  CHECK(backoff.attempts() == 0);
}
