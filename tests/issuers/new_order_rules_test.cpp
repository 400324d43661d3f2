// The pure rules of the newOrder step: which refusals are about `replaces`
// (and so retried without it), and how long a 429 closes the account's gate.
#include <catch2/catch.hpp>

#include "core/acme/problem.hpp"
#include "issuers/acme/new_order.hpp"

using namespace certmill;
using namespace std::chrono;
using acme::ProblemType;
using issuers::acme::refuses_replaces;

TEST_CASE("alreadyReplaced, and client errors naming the replaced certificate, refuse replaces") {
  CHECK(refuses_replaces(Error(ProblemType::AlreadyReplaced, "was already replaced")));
  CHECK(refuses_replaces(Error(ProblemType::AlreadyReplaced, "409")));
  CHECK(refuses_replaces(
      Error(ProblemType::Malformed, "the certificate \"x.y\" cannot be Replaced")));
  CHECK(refuses_replaces(Error(ProblemType::Unauthorized, "replacement of another account's")));
  CHECK_FALSE(refuses_replaces(Error(ProblemType::Malformed, "identifiers: not a DNS name")));
  CHECK_FALSE(refuses_replaces(Error(ProblemType::RateLimited, "too many replacements")));
  CHECK_FALSE(refuses_replaces(Error(ProblemType::BadNonce, "replaces")));
  CHECK_FALSE(refuses_replaces(Error(ProblemType::ServerInternal, "replaces lookup failed")));
  CHECK_FALSE(refuses_replaces(Error(Errc::invalid_value, "replaces")));
}

TEST_CASE("a 429 closes the gate for its Retry-After, at least a second and at most max_wait") {
  const issuers::acme::NewOrderLimits limits;
  CHECK(issuers::acme::gate_closing(seconds(0), limits) == seconds(1));
  CHECK(issuers::acme::gate_closing(seconds(1199), limits) == seconds(1199));
  CHECK(issuers::acme::gate_closing(hours(24 * 365), limits) == hours(1));
  issuers::acme::NewOrderLimits zero;
  zero.min_wait = seconds(0);
  zero.max_wait = seconds(0);
  CHECK(issuers::acme::gate_closing(seconds(0), zero) == seconds(1));
  CHECK(issuers::acme::gate_closing(hours(3), zero) == seconds(1));
}
