// Limits as numbers: "N per period" parsing, exact GCRA waits, and the keys the
// certificate limits count under.
#include "tools/acme-front/bucket.hpp"

#include <catch2/catch.hpp>

#include "tools/acme-front/limits.hpp"

using namespace certmill;
using namespace certmill::acmefront;
using namespace std::chrono_literals;

TEST_CASE("limit specs are COUNT/PERIOD and bad ones say how to write them") {
  auto spec = parse_limit_spec("300/3h");
  REQUIRE(spec.ok());
  CHECK(spec->count == 300);
  CHECK(spec->period == 3h);
  CHECK(format_limit_spec(*spec) == "300/3h");
  CHECK(parse_limit_spec("0")->count == 0);
  for (const char* bad : {"300", "x/3h", "300/", "300/3 hours", "5/-1h", "/1h"}) {
    auto parsed = parse_limit_spec(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message(), Catch::Contains("COUNT/PERIOD"));
  }
}

TEST_CASE("a bucket of N gives N tokens, then waits exactly period over N for the next") {
  Bucket bucket({2, 1h});
  const Instant t0{};
  CHECK(bucket.wait(t0) == Duration{});
  bucket.consume(t0);
  CHECK(bucket.wait(t0) == Duration{});
  bucket.consume(t0);
  CHECK(bucket.wait(t0) == 30min);
  CHECK(bucket.wait(t0 + 29min) == 1min);
  CHECK(bucket.wait(t0 + 30min) == Duration{});
  // Taking past empty pushes the wait further instead of being lost.
  bucket.consume(t0 + 30min);
  bucket.consume(t0 + 30min);
  CHECK(bucket.wait(t0 + 30min) == 1h);
  Bucket unlimited({0, {}});
  unlimited.consume(t0);
  CHECK(unlimited.wait(t0) == Duration{});
}

TEST_CASE("registered domains are the last two labels and exact sets ignore order and case") {
  CHECK(registered_domain({"dns", "www.Example.com."}) == "example.com");
  CHECK(registered_domain({"dns", "*.a.example.org"}) == "example.org");
  CHECK(registered_domain({"dns", "localhost"}) == "localhost");
  CHECK(registered_domain({"ip", "192.0.2.1"}) == "192.0.2.1");
  CHECK(exact_set_key({{"dns", "b.example.com"}, {"dns", "A.example.com"}}) ==
        exact_set_key(
            {{"dns", "a.example.com"}, {"dns", "b.example.com"}, {"dns", "b.example.com"}}));
}

TEST_CASE("a refused order names the limit and the whole seconds to wait") {
  LimitConfig config;
  config.new_orders_per_account = {1, 1h};
  config.certificates_per_domain = {5, 24h};
  config.certificates_per_exact_set = {1, 10s};
  config.failed_authorizations_per_identifier = {1, 90s};
  Limits limits(config);
  const Instant t0{};
  const std::vector<Identifier> order{{"dns", "a.example.com"}};
  CHECK_FALSE(limits.check_new_order(t0, "acct", order));
  limits.count_new_order(t0, "acct");
  auto refused = limits.check_new_order(t0 + 1500ms, "acct", order);
  REQUIRE(refused);
  CHECK(refused->limit == "new-orders-per-account");
  CHECK(refused->retry_after == 3599s);  // 3598.5 s rounded up
  CHECK_THAT(refused->detail, Catch::Contains("new-orders-per-account"));

  limits.count_issued(t0, order);
  refused = limits.check_new_order(t0, "other", order);
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-exact-set");
  CHECK(refused->retry_after == 10s);

  limits.count_failed_authorization(t0, {"dns", "b.example.com"});
  refused = limits.check_new_order(t0, "other", {{"dns", "*.b.example.com"}});
  REQUIRE(refused);
  CHECK(refused->limit == "failed-authorizations-per-identifier");
  CHECK(refused->retry_after == 90s);
}
