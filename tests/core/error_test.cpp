// Error::prefixed: a caller that names its context keeps the code and the
// server's Retry-After, so a retry above it still waits as long as asked
// (the fault storm's DNS-01 Certificate whose Secret reads met 429s and were
// retried on the caller's own doubling instead).
#include "core/error.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace std::chrono_literals;

TEST_CASE("a prefixed error keeps its code and Retry-After, with the context first") {
  const Error inner =
      Error(std::make_error_code(std::errc::timed_out), "no answer").with_retry_after(3s);
  const Error outer = inner.prefixed("rfc2136.tsigSecretSecretRef: ");
  CHECK(outer.message() == "rfc2136.tsigSecretSecretRef: no answer");
  CHECK(outer.code() == std::errc::timed_out);
  REQUIRE(outer.retry_after());
  CHECK(*outer.retry_after() == 3s);
  CHECK(inner.message() == "no answer");
}

TEST_CASE("a prefixed error without a Retry-After gains none") {
  const Error outer = Error(Errc::invalid_value, "bad").prefixed("field: ");
  CHECK(outer.message() == "field: bad");
  CHECK_FALSE(outer.retry_after());
}
