// CheckBackoff: a record not yet propagated is asked again at once; server
// failures in a row double the wait from 10 s to at most 5 min, and any
// answer starts over.
#include "solvers/dns/check_backoff.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::solvers::dns;
using namespace std::chrono_literals;

namespace {

const Error kNotYet(std::make_error_code(std::errc::resource_unavailable_try_again),
                    "not yet propagated on 10.0.0.1:53");
const Error kServfail(std::make_error_code(std::errc::protocol_error), "SERVFAIL from 10.0.0.1:53");
const Error kTimeout(std::make_error_code(std::errc::timed_out), "no answer in time");

}  // namespace

TEST_CASE("a record not yet propagated is asked again at the next check") {
  CheckBackoff b;
  const auto t0 = CheckBackoff::Clock::time_point{} + 1h;
  CHECK(b.may_ask(t0));
  for (int i = 0; i < 10; ++i) {
    b.failed(kNotYet, t0 + i * 10s);
    CHECK(b.may_ask(t0 + i * 10s));
    CHECK(b.failures() == 0);
  }
  CHECK(not_yet_propagated(kNotYet));
  CHECK_FALSE(not_yet_propagated(kServfail));
  CHECK_FALSE(not_yet_propagated(kTimeout));
}

TEST_CASE("server failures in a row wait 10 s, 20 s, 40 s ... at most 5 min") {
  CheckBackoff b;
  auto now = CheckBackoff::Clock::time_point{} + 1h;
  const std::chrono::seconds expected[] = {10s, 20s, 40s, 80s, 160s, 300s, 300s, 300s};
  for (const auto wait : expected) {
    b.failed(b.failures() % 2 == 0 ? kServfail : kTimeout, now);
    CHECK(b.wait(now) == wait);
    CHECK_FALSE(b.may_ask(now + wait - 1s));
    CHECK(b.may_ask(now + wait));
    now += wait;
  }
  CHECK(b.failures() == 8);
  // An answer, even "not there yet", starts over.
  b.failed(kNotYet, now);
  CHECK(b.failures() == 0);
  CHECK(b.may_ask(now));
  b.failed(kServfail, now);
  CHECK(b.wait(now) == 10s);
}
