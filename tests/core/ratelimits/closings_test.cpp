// The closings' annotation: written, read back, and hostile text skipped.
#include "core/ratelimits/closings.hpp"

#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

TEST_CASE("closings round-trip through their annotation, keys with commas and the account's") {
  const Instant at = *parse_rfc3339("2026-12-06T20:00:00Z");
  Closings closings{{{Limit::NewOrdersPerAccount, ""}, at},
                    {{Limit::CertificatesPerDomain, "example.com"}, at + 1h},
                    {{Limit::CertificatesPerExactSet, "a.example.com,b.example.com"}, at + 2h}};
  const std::string text = format_closings(closings);
  CHECK(text ==
        "new-orders-per-account 2026-12-06T20:00:00Z \n"
        "certificates-per-domain 2026-12-06T21:00:00Z example.com\n"
        "certificates-per-exact-set 2026-12-06T22:00:00Z a.example.com,b.example.com\n");
  CHECK(parse_closings(text) == closings);
  // A time with a fraction is written up to the next second, never earlier.
  CHECK(parse_closings(format_closings({{{Limit::NewOrdersPerAccount, ""}, at + 10ms}}))
            .begin()
            ->second == at + 1s);
}

TEST_CASE("lines that are not closings are skipped, and the count is bounded") {
  const auto read = parse_closings(
      "garbage\nnew-orders-per-account\nnew-orders-per-account not-a-time x\n"
      "unknown-limit 2026-12-06T20:00:00Z x\n\n"
      "failed-authorizations-per-identifier 2026-12-06T20:00:00Z dns:a.example.com");
  REQUIRE(read.size() == 1);
  CHECK(read.begin()->first.first == Limit::FailedAuthorizationsPerIdentifier);
  CHECK(read.begin()->first.second == "dns:a.example.com");
  std::string many;
  for (int i = 0; i < 50; ++i)
    many += "certificates-per-domain 2026-12-06T20:00:00Z d" + std::to_string(i) + ".com\n";
  CHECK(parse_closings(many, 10).size() == 10);
  CHECK(parse_closings(many).size() == 50);
}
