// poll_interval: the CA's Retry-After clamped, doubling without one, and no
// bound that allows a hot loop.
#include "issuers/acme/poll.hpp"

#include <catch2/catch.hpp>

using namespace certmill::issuers::acme;
using std::chrono::seconds;

TEST_CASE("Retry-After is honoured inside the bounds") {
  const PollPolicy policy;  // 1 s .. 60 s
  CHECK(poll_interval(policy, seconds(5), 0) == seconds(5));
  CHECK(poll_interval(policy, seconds(0), 3) == seconds(1));  // a date in the past
  CHECK(poll_interval(policy, seconds(365 * 86400), 0) == seconds(60));
}

TEST_CASE("without Retry-After the wait doubles up to the upper bound") {
  const PollPolicy policy;
  CHECK(poll_interval(policy, std::nullopt, 0) == seconds(1));
  CHECK(poll_interval(policy, std::nullopt, 1) == seconds(2));
  CHECK(poll_interval(policy, std::nullopt, 5) == seconds(32));
  CHECK(poll_interval(policy, std::nullopt, 6) == seconds(60));
  CHECK(poll_interval(policy, std::nullopt, 1000000) == seconds(60));
}

TEST_CASE("a zero or inverted policy still waits at least a second") {
  PollPolicy policy;
  policy.min_interval = seconds(0);
  policy.max_interval = seconds(0);
  CHECK(poll_interval(policy, seconds(0), 0) == seconds(1));
  CHECK(poll_interval(policy, std::nullopt, 0) == seconds(1));
}
