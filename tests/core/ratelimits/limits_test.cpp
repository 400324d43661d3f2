// Let's Encrypt's limits by directory URL, and the rate-limits annotation.
#include "core/ratelimits/limits.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

TEST_CASE("Let's Encrypt's directories have its documented limits, other CAs none") {
  const auto production = known_limits("https://acme-v02.api.letsencrypt.org/directory");
  REQUIRE(production);
  CHECK(production->new_orders_per_account == LimitSpec{300, 3h});
  CHECK(production->certificates_per_domain == LimitSpec{50, 168h});
  CHECK(production->certificates_per_exact_set == LimitSpec{5, 168h});
  CHECK(production->failed_authorizations_per_identifier == LimitSpec{5, 1h});
  // One token back every 36 s and every 202 min (rounded), as the page says.
  CHECK(production->new_orders_per_account.emission() == 36s);
  CHECK(std::chrono::round<std::chrono::minutes>(production->certificates_per_domain.emission()) ==
        202min);
  const auto staging = known_limits("https://acme-staging-v02.api.letsencrypt.org/directory/");
  REQUIRE(staging);
  CHECK(staging->new_orders_per_account.count > production->new_orders_per_account.count);
  CHECK_FALSE(known_limits("https://127.0.0.1:14000/dir"));
  CHECK_FALSE(known_limits("https://acme-v02.api.letsencrypt.org.evil.example/directory"));
}

TEST_CASE("the rate-limits annotation sets limits over a base and round-trips") {
  auto limits =
      parse_rate_limits(" new-orders-per-account=60/3h , certificates-per-domain=20/168h,",
                        lets_encrypt_production());
  REQUIRE(limits);
  CHECK(limits->new_orders_per_account == LimitSpec{60, 3h});
  CHECK(limits->certificates_per_domain == LimitSpec{20, 168h});
  CHECK(limits->certificates_per_exact_set == LimitSpec{5, 168h});
  auto off = parse_rate_limits("failed-authorizations-per-identifier=0", *limits);
  REQUIRE(off);
  CHECK(off->failed_authorizations_per_identifier.count == 0);
  auto again = parse_rate_limits(format_rate_limits(*off));
  REQUIRE(again);
  CHECK(*again == *off);
  CHECK(parse_rate_limits("")->new_orders_per_account.count == 0);
  for (const char* bad : {"orders=1/1h", "new-orders-per-account", "new-orders-per-account=1",
                          "new-orders-per-account=x/3h", "=1/1h"}) {
    auto parsed = parse_rate_limits(bad);
    REQUIRE_FALSE(parsed);
    CHECK_THAT(parsed.error().message(), Catch::Contains("certmill.io/rate-limits"));
  }
  CHECK_THAT(parse_rate_limits("orders=1/1h").error().message(),
             Catch::Contains("new-orders-per-account"));
}

TEST_CASE("limit names are the annotation's keys") {
  for (Limit limit : kLimits)
    CHECK(limit_named(limit_name(limit)) == limit);
  CHECK_FALSE(limit_named("certificates"));
}
