// Let's Encrypt's limits through the front: exact counts, 429 rateLimited
// in Boulder's words with the Retry-After the bucket implies, refills by
// advancing the front's clock (never by sleeping) by the wait it was told,
// ARI renewals (`replaces`) exempt from all, renewals of an issued set from
// new orders and registered domains, and `replaces` checked as Boulder checks
// it.
#include "core/acme/problem.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tests/acme_front/virtual_client.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using certmill::acme::ProblemType;

namespace {

// Where Boulder's detail for each of the front's limits points.
std::string docs_of(const std::string& limit) {
  const std::string docs = "https://letsencrypt.org/docs/rate-limits/#";
  if (limit == "new-orders-per-account")
    return docs + "new-orders-per-account";
  if (limit == "certificates-per-domain")
    return docs + "new-certificates-per-registered-domain";
  if (limit == "certificates-per-exact-set")
    return docs + "new-certificates-per-exact-set-of-identifiers";
  return docs + "authorization-failures-per-identifier-per-account";
}

// The front's buckets run on real time (plus what tests advance), so a wait
// is the bucket's interval less the moments since the token was taken: the
// check allows a minute of slack and returns the wait for advancing by it.
// The detail is Boulder's: what was limited, "retry after <UTC time>: see"
// and the limit's documentation.
std::chrono::seconds require_limited(const Result<issuers::acme::IssuedChain>& result,
                                     const std::string& limit, std::chrono::seconds interval) {
  REQUIRE_FALSE(result.ok());
  INFO(result.error().message());
  CHECK(result.error().code() == ProblemType::RateLimited);
  CHECK_THAT(result.error().message(), Catch::Contains("too many "));
  CHECK_THAT(result.error().message(), Catch::Contains(" UTC: see " + docs_of(limit)));
  REQUIRE(result.error().retry_after());
  const auto wait = *result.error().retry_after();
  CHECK(wait <= interval);
  CHECK(wait > interval - 60s);
  return wait;
}

void advance(test::FrontSetup& setup, std::chrono::seconds by) {
  setup.front.must_post("/clock", R"({"advance_seconds": )" + std::to_string(by.count()) + "}");
}

// certmill's client answers a refused `replaces` by ordering again without it
// (new_order.hpp): the front's refusal shows as the second order's flag and in
// the front's problem counts.
void require_dropped(const test::FrontSetup& setup,
                     const Result<issuers::acme::IssuedChain>& result) {
  test::require_issued(setup, result);
  CHECK(result->replaces_dropped);
}

}  // namespace

TEST_CASE("a new-order bucket of N gives N orders, then 429 until the clock refills it") {
  test::FrontSetup setup({"--new-orders-per-account=2/1h"});
  auto first = setup.issue({"one.example.com"});
  test::require_issued(setup, first);
  test::require_issued(setup, setup.issue({"two.example.com"}));

  // One token comes back every 30 minutes; a minute short of it is not enough.
  const auto wait =
      require_limited(setup.issue({"three.example.com"}), "new-orders-per-account", 1800s);
  advance(setup, wait - 60s);
  const auto rest =
      require_limited(setup.issue({"three.example.com"}), "new-orders-per-account", 60s);

  // A renewal that names the certificate it replaces is never limited.
  auto renewed = setup.issue({"one.example.com"}, test::FrontSetup::cert_id(*first));
  test::require_issued(setup, renewed);

  advance(setup, rest);
  test::require_issued(setup, setup.issue({"three.example.com"}));
  require_limited(setup.issue({"four.example.com"}), "new-orders-per-account", 1800s);

  const auto stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("new-orders-per-account":3)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("orders_with_replaces":1)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("certificates_issued":4)"));
}

TEST_CASE("certificates are limited per exact set of identifiers and per registered domain") {
  test::FrontSetup setup(
      {"--certificates-per-exact-set=1/168h", "--certificates-per-domain=2/168h"});
  auto a = setup.issue({"a.example.com", "www.a.example.com"});
  test::require_issued(setup, a);
  // The same set in another order and case is the same set.
  require_limited(setup.issue({"WWW.a.example.com", "a.example.com"}), "certificates-per-exact-set",
                  168h);
  test::require_issued(setup, setup.issue({"b.example.com"}));
  // A week holds two certificates for example.com: the next is 3.5 days off.
  require_limited(setup.issue({"c.example.com"}), "certificates-per-domain", 84h);
  test::require_issued(setup, setup.issue({"c.example.net"}));
  // Renewals are exempt, and do not count against the domain either.
  test::require_issued(
      setup, setup.issue({"a.example.com", "www.a.example.com"}, test::FrontSetup::cert_id(*a)));
  advance(setup, require_limited(setup.issue({"c.example.com"}), "certificates-per-domain", 84h));
  test::require_issued(setup, setup.issue({"c.example.com"}));
}

TEST_CASE("failed authorizations are limited per identifier") {
  // Real validation, and nothing serves HTTP-01 on Pebble's httpPort.
  test::FrontSetup setup({"--failed-authorizations-per-identifier=1/1h"}, false);
  auto failed = setup.issue({"localhost"});
  REQUIRE_FALSE(failed.ok());
  INFO(failed.error().message());
  CHECK(failed.error().code() != ProblemType::RateLimited);

  require_limited(setup.issue({"localhost"}), "failed-authorizations-per-identifier", 3600s);
  const auto stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("failed-authorizations-per-identifier":1)"));
}

TEST_CASE("a replaced certificate cannot be replaced again, and replaces can be made to fail") {
  test::FrontSetup setup;
  auto original = setup.issue({"renew.example.com"});
  test::require_issued(setup, original);
  const std::string id = test::FrontSetup::cert_id(*original);
  test::require_issued(setup, setup.issue({"renew.example.com"}, id));

  require_dropped(setup, setup.issue({"renew.example.com"}, id));

  auto other = setup.issue({"other.example.com"});
  test::require_issued(setup, other);
  setup.front.must_post("/replaces-answer", R"({"answer": "malformed"})");
  require_dropped(setup, setup.issue({"other.example.com"}, test::FrontSetup::cert_id(*other)));
  setup.front.must_post("/replaces-answer", R"({"answer": "alreadyReplaced"})");
  require_dropped(setup, setup.issue({"other.example.com"}, test::FrontSetup::cert_id(*other)));
  setup.front.must_post("/replaces-answer", R"({"answer": "accept"})");
  test::require_issued(setup,
                       setup.issue({"other.example.com"}, test::FrontSetup::cert_id(*other)));

  auto marked = setup.issue({"marked.example.com"});
  test::require_issued(setup, marked);
  setup.front.must_post("/replaced",
                        R"({"certID": ")" + test::FrontSetup::cert_id(*marked) + R"("})");
  require_dropped(setup, setup.issue({"marked.example.com"}, test::FrontSetup::cert_id(*marked)));
  const auto stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("alreadyReplaced":3)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("malformed":1)"));
}

TEST_CASE("an order for a set already issued passes the spent new-order and domain limits") {
  test::FrontSetup setup({"--new-orders-per-account=2/1h", "--certificates-per-domain=2/168h",
                          "--certificates-per-exact-set=2/168h"});
  test::require_issued(setup, setup.issue({"a.example.com"}));
  test::require_issued(setup, setup.issue({"b.example.com"}));
  // Both buckets are empty now; the domain's week is the longer wait.
  auto refused = setup.issue({"c.example.com"});
  require_limited(refused, "certificates-per-domain", 84h);
  CHECK_THAT(refused.error().message(),
             Catch::Contains("too many certificates (2) already issued for \"example.com\" in the "
                             "last 168h0m0s, retry after "));

  // The same set again is a renewal: neither limit applies,
  // and it is not counted as a new order...
  test::require_issued(setup, setup.issue({"a.example.com"}));
  // ...but its certificate counts against its exact set: a third is refused.
  refused = setup.issue({"a.example.com"});
  require_limited(refused, "certificates-per-exact-set", 84h);
  CHECK_THAT(refused.error().message(),
             Catch::Contains("too many certificates (2) already issued for this exact set of "
                             "identifiers in the last 168h0m0s, retry after "));
  auto stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("rate_limited":{"certificates-per-domain":1,)"
                                         R"("certificates-per-exact-set":1})"));

  // The new-order bucket still holds the two first orders only, and refuses
  // an order for a new set in another domain: that count is not zero.
  refused = setup.issue({"c.example.net"});
  require_limited(refused, "new-orders-per-account", 1800s);
  CHECK_THAT(refused.error().message(),
             Catch::Contains("too many new orders (2) from this account in the last 1h0m0s, "
                             "retry after "));
  stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("new-orders-per-account":1)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("certificates_issued":3)"));
}

TEST_CASE("replaces must name a certificate issued through the front to the same account") {
  test::FrontSetup setup;
  auto original = setup.issue({"x.example.com", "www.x.example.com"});
  test::require_issued(setup, original);
  const std::string id = test::FrontSetup::cert_id(*original);

  // Another account's renewal: refused (403 unauthorized), so certmill's
  // client orders again without `replaces`.
  test::VirtualClient other(setup);
  require_dropped(setup, other.issue({"x.example.com"}, id));
  // No name in common with the certificate it replaces (400 malformed).
  require_dropped(setup, setup.issue({"y.example.com"}, id));
  // A CertID the front never saw issued (404 malformed).
  require_dropped(setup, setup.issue({"x.example.com"}, "aGVsbG8.AQID"));
  auto stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("unauthorized":1)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("malformed":2)"));
  CHECK_THAT(stats.body, Catch::Contains(R"("orders_with_replaces":0)"));

  // The account it was issued to, sharing one name of it, renews with it.
  auto renewed = setup.issue({"www.x.example.com", "z.example.com"}, id);
  test::require_issued(setup, renewed);
  CHECK_FALSE(renewed->replaces_dropped);
  stats = setup.front.get("/stats");
  CHECK_THAT(stats.body, Catch::Contains(R"("orders_with_replaces":1)"));
}

TEST_CASE("registered domains come from the Public Suffix List, Debian's or the one given") {
  test::FrontSetup setup({"--certificates-per-domain=1/168h"});
  test::require_issued(setup, setup.issue({"a.example.co.uk"}));
  auto refused = setup.issue({"b.example.co.uk"});
  require_limited(refused, "certificates-per-domain", 168h);
  CHECK_THAT(refused.error().message(), Catch::Contains(R"(already issued for "example.co.uk")"));
  // Under "the last two labels" these would all have counted under co.uk or
  // github.io: with the list, each is its own registered domain.
  test::require_issued(setup, setup.issue({"c.other.co.uk"}));
  test::require_issued(setup, setup.issue({"a.x.github.io"}));
  test::require_issued(setup, setup.issue({"b.y.github.io"}));
  require_limited(setup.issue({"c.y.github.io"}), "certificates-per-domain", 168h);
  CHECK_THAT(setup.front.get("/stats").body,
             Catch::Contains(R"("rate_limited":{"certificates-per-domain":2})"));

  // A list that makes example.com a public suffix: its subdomains count apart.
  test::ScratchDir dir;
  const std::string list = dir.write("list.dat", "// a test list\ncom\nexample.com\n");
  test::FrontSetup custom({"--certificates-per-domain=1/168h", "--public-suffix-list=" + list});
  test::require_issued(custom, custom.issue({"www.a.example.com"}));
  test::require_issued(custom, custom.issue({"www.b.example.com"}));
  refused = custom.issue({"shop.b.example.com"});
  require_limited(refused, "certificates-per-domain", 168h);
  CHECK_THAT(refused.error().message(), Catch::Contains(R"(already issued for "b.example.com")"));
}
