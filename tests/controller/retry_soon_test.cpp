// may_pass_later: which failures of presenting a DNS-01 challenge, or of
// writing an order's outcome, are tried again within the order (the API
// server's 429 and 5xx, no answer, a nameserver's SERVFAIL) and which fail at
// once (a Secret that is not there, a key the server refuses, a bad
// setting); and the waits between.
#include "controller/retry_soon.hpp"

#include <catch2/catch.hpp>

#include "k8s/api_error.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using controller::may_pass_later;
using controller::retry_soon_wait;

namespace {

Error api(unsigned status, std::string_view retry_after = {}) {
  return k8s::api_error(status, R"({"kind":"Status","message":"from the API server"})",
                        retry_after);
}

Error errc(std::errc e) {
  return Error(std::make_error_code(e), "a failure");
}

}  // namespace

TEST_CASE("the API server's 429 and 5xx are tried again, its other answers are not") {
  for (unsigned status : {429u, 500u, 502u, 503u, 504u})
    CHECK(may_pass_later(api(status)));
  for (unsigned status : {400u, 401u, 403u, 404u, 409u, 422u})
    CHECK_FALSE(may_pass_later(api(status)));
}

TEST_CASE("no answer, or a server's failure of the moment, is tried again") {
  for (std::errc e :
       {std::errc::timed_out, std::errc::connection_refused, std::errc::connection_reset,
        std::errc::network_unreachable, std::errc::resource_unavailable_try_again})
    CHECK(may_pass_later(errc(e)));
}

TEST_CASE("a refusal, a bad answer or a bad setting fails the order at once") {
  for (std::errc e : {std::errc::permission_denied, std::errc::protocol_error,
                      std::errc::bad_message, std::errc::no_such_device_or_address,
                      std::errc::invalid_argument, std::errc::operation_canceled})
    CHECK_FALSE(may_pass_later(errc(e)));
  CHECK_FALSE(may_pass_later(Error(Errc::invalid_value, "tsigAlgorithm: unknown")));
}

TEST_CASE("the waits double from 1 s to 30 s, or are the server's Retry-After") {
  const Error failed = api(503);
  CHECK(retry_soon_wait(failed, 0) == 1s);
  CHECK(retry_soon_wait(failed, 1) == 2s);
  CHECK(retry_soon_wait(failed, 2) == 4s);
  CHECK(retry_soon_wait(failed, 3) == 8s);
  CHECK(retry_soon_wait(failed, 4) == 16s);
  CHECK(retry_soon_wait(failed, 5) == 30s);
  CHECK(retry_soon_wait(failed, 30) == 30s);
  CHECK(retry_soon_wait(api(429, "3"), 0) == 3s);
  CHECK(retry_soon_wait(api(429, "3").prefixed("a Secret: "), 0) == 3s);
}

TEST_CASE("a failure of the moment is tried again for about five minutes, no longer") {
  std::chrono::seconds waited{0};
  for (int attempt = 0; attempt + 1 < controller::kRetrySoonAttempts; ++attempt)
    waited += retry_soon_wait(api(503), attempt);
  CHECK(waited == 301s);
}
