// The client's Retry-After holds: a request answered with a Retry-After is
// held until it passes, other requests are not, and a create is told apart
// by its object's name.
#include "k8s/retry_after_holds.hpp"

#include <catch2/catch.hpp>

using certmill::k8s::RetryAfterHolds;
using namespace std::chrono_literals;

namespace {
const RetryAfterHolds::Clock::time_point t0{};
}

TEST_CASE("a request is held until its Retry-After has passed, and no longer") {
  RetryAfterHolds holds;
  CHECK(holds.empty());
  holds.hold("GET /api/v1/namespaces/a/secrets/s", t0 + 10s, 2s);
  CHECK(holds.held("GET /api/v1/namespaces/a/secrets/s", t0 + 10s) == 2s);
  CHECK(holds.held("GET /api/v1/namespaces/a/secrets/s", t0 + 11s + 500ms) == 500ms);
  CHECK_FALSE(holds.held("GET /api/v1/namespaces/a/secrets/s", t0 + 12s));
  CHECK(holds.empty());  // forgotten once passed
}

TEST_CASE("other requests are not held by one request's Retry-After") {
  RetryAfterHolds holds;
  holds.hold("PUT /x/status", t0, 5s);
  CHECK_FALSE(holds.held("GET /x", t0 + 1s));
  CHECK_FALSE(holds.held("PUT /y/status", t0 + 1s));
  CHECK(holds.held("PUT /x/status", t0 + 1s) == 4s);
}

TEST_CASE("a shorter Retry-After does not cut a longer one short, and passed holds are swept") {
  RetryAfterHolds holds;
  holds.hold("GET /x", t0, 10s);
  holds.hold("GET /x", t0 + 1s, 1s);
  CHECK(holds.held("GET /x", t0 + 5s) == 5s);
  holds.hold("GET /y", t0 + 20s, 1s);  // sweeps /x, whose hold ended at 10 s
  CHECK_FALSE(holds.held("GET /x", t0 + 20s));
  CHECK(holds.held("GET /y", t0 + 20s) == 1s);
}

TEST_CASE("a create is the request for its object name, any other verb its method and target") {
  CHECK(RetryAfterHolds::request_of("POST", "/apis/g/v1/namespaces/a/orders",
                                    R"({"metadata":{"name":"o-1","namespace":"a"}})") ==
        "POST /apis/g/v1/namespaces/a/orders o-1");
  CHECK(RetryAfterHolds::request_of("POST", "/api/v1/namespaces/a/events",
                                    R"({"metadata":{"generateName":"e-"}})") ==
        "POST /api/v1/namespaces/a/events");
  CHECK(RetryAfterHolds::request_of("POST", "/c", "not JSON") == "POST /c");
  CHECK(RetryAfterHolds::request_of("POST", "/c", R"({"metadata":{"name":7}})") == "POST /c");
  CHECK(RetryAfterHolds::request_of("PUT", "/apis/g/v1/namespaces/a/orders/o-1/status",
                                    R"({"metadata":{"name":"o-1"}})") ==
        "PUT /apis/g/v1/namespaces/a/orders/o-1/status");
}
