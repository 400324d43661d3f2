// The keys acme-front's certificate limits count under, and its refusals.
#include "tools/acme-front/limits.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::acmefront;
using namespace std::chrono_literals;

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
