// Reading which budget a 429 closes from Boulder's problem documents.
#include "core/ratelimits/refusal.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

namespace {

acme::Problem rate_limited(std::string detail) {
  acme::Problem problem;
  problem.type = acme::ProblemType::RateLimited;
  problem.status = 429;
  problem.detail = std::move(detail);
  return problem;
}

const OrderShape order{{"example.com", "example.org"},
                       "a.example.com,b.example.org",
                       {"dns:a.example.com", "dns:b.example.org"},
                       false,
                       false};

}  // namespace

TEST_CASE("each of Boulder's rate-limit details closes its own limit and key") {
  struct Row {
    const char* detail;
    Limit limit;
    std::vector<std::string> keys;
    std::optional<LimitSpec> stated;
  };
  const Row rows[] = {
      {"too many new orders (300) from this account in the last 3h0m0s, retry after "
       "2025-01-01T00:00:00Z: see https://letsencrypt.org/docs/rate-limits/#new-orders-per-account",
       Limit::NewOrdersPerAccount,
       {},
       LimitSpec{300, 3h}},
      {"too many certificates (50) already issued for \"example.org\" in the last 168h0m0s, retry "
       "after 2025-01-01T00:00:00Z: see "
       "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-registered-domain",
       Limit::CertificatesPerDomain,
       {"example.org"},
       LimitSpec{50, 168h}},
      {"too many certificates (5) already issued for this exact set of identifiers in the last "
       "168h0m0s, retry after 2025-01-01T00:00:00Z: see "
       "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-exact-set-of-identifiers",
       Limit::CertificatesPerExactSet,
       {"a.example.com,b.example.org"},
       LimitSpec{5, 168h}},
      {"too many failed authorizations (5) for \"b.example.org\" in the last 1h0m0s, retry after "
       "2025-01-01T00:00:00Z: see "
       "https://letsencrypt.org/docs/rate-limits/"
       "#authorization-failures-per-identifier-per-account",
       Limit::FailedAuthorizationsPerIdentifier,
       {"dns:b.example.org"},
       LimitSpec{5, 1h}},
      // Older wordings, without counts: the limit still, every key it counts.
      {"Error creating new order :: too many certificates already issued for: example.com",
       Limit::CertificatesPerDomain,
       {"example.com", "example.org"},
       std::nullopt},
      {"Error creating new order :: too many certificates already issued for exact set of domains",
       Limit::CertificatesPerExactSet,
       {"a.example.com,b.example.org"},
       std::nullopt},
      // A domain the order does not name is not believed: every domain closes.
      {"too many certificates (50) already issued for \"elsewhere.net\" in the last 168h0m0s",
       Limit::CertificatesPerDomain,
       {"example.com", "example.org"},
       LimitSpec{50, 168h}},
  };
  for (const Row& row : rows) {
    INFO(row.detail);
    const auto refusal = read_refusal(rate_limited(row.detail), order);
    REQUIRE(refusal);
    CHECK(refusal->recognised);
    CHECK(refusal->limit == row.limit);
    CHECK(refusal->keys == row.keys);
    CHECK(refusal->stated == row.stated);
  }
}

TEST_CASE("the stated limit is read from the detail as an error message carries it") {
  const auto refusal = read_refusal(
      rate_limited("POST https://ca/new-order: urn:ietf:params:acme:error:rateLimited (HTTP "
                   "429): too many new orders (5) from this account in the last 1h0m0s, retry "
                   "after 2026-12-06 19:58:36 UTC: see "
                   "https://letsencrypt.org/docs/rate-limits/#new-orders-per-account"),
      order);
  REQUIRE(refusal);
  CHECK(refusal->limit == Limit::NewOrdersPerAccount);
  CHECK(refusal->stated == LimitSpec{5, 1h});
}

TEST_CASE("a subproblem's identifier names the key a 429 closes") {
  auto problem = rate_limited("too many failed authorizations recently");
  acme::Problem sub = rate_limited("too many failed authorizations for this identifier");
  sub.identifier = acme::Identifier{"dns", "A.Example.com"};
  problem.subproblems.push_back(sub);
  const auto refusal = read_refusal(problem, order);
  REQUIRE(refusal);
  CHECK(refusal->limit == Limit::FailedAuthorizationsPerIdentifier);
  CHECK(refusal->keys == std::vector<std::string>{"dns:a.example.com"});
}

TEST_CASE("a 429 that names no known limit closes the account, and other problems nothing") {
  const auto vague = read_refusal(rate_limited("slow down"), order);
  REQUIRE(vague);
  CHECK_FALSE(vague->recognised);
  CHECK(vague->limit == Limit::NewOrdersPerAccount);
  CHECK(vague->keys.empty());
  acme::Problem other;
  other.type = acme::ProblemType::ServerInternal;
  other.detail = "too many new orders";
  CHECK_FALSE(read_refusal(other, order));
  // Hostile counts and periods are ignored, not trusted.
  for (const char* bad :
       {"too many new orders (0) from this account in the last 3h0m0s",
        "too many new orders (99999999999999) from this account in the last 3h0m0s",
        "too many new orders (5) from this account in the last -3h", "too many new orders (",
        "too many new orders (5) in the last ", "\"", "\"\""}) {
    INFO(bad);
    const auto refusal = read_refusal(rate_limited(bad), order);
    REQUIRE(refusal);
    CHECK_FALSE(refusal->stated);
  }
}
