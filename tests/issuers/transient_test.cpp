// Which ACME failures an order retries, and the waits between: server errors
// and lost answers are transient, the CA's other problems and failures a
// retry cannot mend are not; the backoff doubles to a cap, honours the CA's
// Retry-After, and spreads by at most half.
#include "issuers/acme/transient.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::issuers::acme;
using certmill::acme::ProblemType;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

Error system_error(std::errc code) {
  // As reactor's HTTPS client reports socket errors: the errno in the
  // system category.
  return Error(std::error_code(static_cast<int>(code), std::system_category()), "socket");
}

}  // namespace

TEST_CASE("server errors and lost answers are transient") {
  CHECK(is_transient(Error(ProblemType::ServerInternal, "the CA's database failed over")));
  CHECK(is_transient(Error(std::make_error_code(std::errc::timed_out), "deadline passed")));
  CHECK(is_transient(system_error(std::errc::connection_reset)));
  CHECK(is_transient(system_error(std::errc::connection_refused)));
  CHECK(is_transient(system_error(std::errc::broken_pipe)));
  CHECK(is_transient(system_error(std::errc::timed_out)));
}

TEST_CASE("the CA's other problems and failures a retry cannot mend are not transient") {
  CHECK_FALSE(is_transient(Error(ProblemType::RateLimited, "too many new orders")));
  CHECK_FALSE(is_transient(Error(ProblemType::BadNonce, "fresh nonce refused five times")));
  CHECK_FALSE(is_transient(Error(ProblemType::Malformed, "bad JWS")));
  CHECK_FALSE(is_transient(Error(ProblemType::OrderNotReady, "not ready")));
  CHECK_FALSE(is_transient(Error(ProblemType::Other, "a 4xx without a problem document")));
  CHECK_FALSE(is_transient(Error(Errc::invalid_json, "order: not JSON")));
  CHECK_FALSE(is_transient(Error(Errc::invalid_argument, "not a URL")));
  CHECK_FALSE(
      is_transient(Error(std::make_error_code(std::errc::operation_canceled), "cancelled")));
  CHECK_FALSE(is_transient(system_error(std::errc::permission_denied)));
}

TEST_CASE("only failures without an answer may have reached the CA unseen") {
  CHECK(answer_lost(Error(std::make_error_code(std::errc::timed_out), "deadline passed")));
  CHECK(answer_lost(system_error(std::errc::connection_reset)));
  CHECK_FALSE(answer_lost(Error(ProblemType::ServerInternal, "answered 503")));
  CHECK_FALSE(answer_lost(Error(ProblemType::RateLimited, "answered 429")));
}

TEST_CASE("a 5xx that names no ACME problem is a server error, named problems stay") {
  CHECK(answer_problem_type(500, ProblemType::Other) == ProblemType::ServerInternal);
  CHECK(answer_problem_type(503, ProblemType::Other) == ProblemType::ServerInternal);
  CHECK(answer_problem_type(404, ProblemType::Other) == ProblemType::Other);
  CHECK(answer_problem_type(503, ProblemType::RateLimited) == ProblemType::RateLimited);
  CHECK(answer_problem_type(500, ProblemType::Malformed) == ProblemType::Malformed);
  CHECK(answer_problem_type(400, ProblemType::ServerInternal) == ProblemType::ServerInternal);
}

TEST_CASE("the retry wait doubles from a second up to the cap") {
  const RetryBackoff backoff;  // 1 s .. 30 s
  CHECK(retry_wait(backoff, std::nullopt, 0, 0.0) == seconds(1));
  CHECK(retry_wait(backoff, std::nullopt, 1, 0.0) == seconds(2));
  CHECK(retry_wait(backoff, std::nullopt, 2, 0.0) == seconds(4));
  CHECK(retry_wait(backoff, std::nullopt, 4, 0.0) == seconds(16));
  CHECK(retry_wait(backoff, std::nullopt, 5, 0.0) == seconds(30));
  CHECK(retry_wait(backoff, std::nullopt, 1000000, 0.0) == seconds(30));
}

TEST_CASE("the spread stretches a wait by at most half") {
  const RetryBackoff backoff;
  CHECK(retry_wait(backoff, std::nullopt, 0, 0.5) == milliseconds(1250));
  CHECK(retry_wait(backoff, std::nullopt, 1, 0.999) < milliseconds(3000));
  CHECK(retry_wait(backoff, std::nullopt, 1000, 0.999) < seconds(45));
  // Out of range is clamped rather than trusted.
  CHECK(retry_wait(backoff, std::nullopt, 0, 7.0) == milliseconds(1500));
  CHECK(retry_wait(backoff, std::nullopt, 0, -1.0) == seconds(1));
}

TEST_CASE("the CA's Retry-After is honoured as sent, but never below a second") {
  const RetryBackoff backoff;
  CHECK(retry_wait(backoff, seconds(7), 0, 0.9) == seconds(7));
  CHECK(retry_wait(backoff, seconds(120), 3, 0.0) == seconds(120));
  CHECK(retry_wait(backoff, seconds(0), 3, 0.0) == seconds(1));  // a date in the past
}

TEST_CASE("a zero or inverted backoff still waits at least a second") {
  RetryBackoff backoff;
  backoff.first = seconds(0);
  backoff.max = seconds(0);
  CHECK(retry_wait(backoff, std::nullopt, 0, 0.0) == seconds(1));
  CHECK(retry_wait(backoff, std::nullopt, 10, 0.0) == seconds(1));
}
