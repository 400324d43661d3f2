// acme-front's limits as units: the keys they count under (registered domains
// from the Public Suffix List, exact sets), refusals in Boulder's words, the
// strictest refusal winning, the renewal exemption, failed authorizations per
// account, Boulder's default renewal window and serial numbers, and its
// checks of `replaces` on a certificate made with the openssl tool.
#include "tools/acme-front/limits.hpp"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "core/pki/x509.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tools/acme-front/certificates.hpp"

using namespace certmill;
using namespace certmill::acmefront;
using namespace std::chrono_literals;
using std::chrono::sys_days;

namespace {

std::shared_ptr<const ratelimits::PublicSuffixList> debian_list() {
  static const auto list = [] {
    auto loaded = ratelimits::PublicSuffixList::load();
    REQUIRE(loaded.ok());
    return std::make_shared<const ratelimits::PublicSuffixList>(std::move(*loaded));
  }();
  return list;
}

// A fixed wall time for the texts; no test reads the real clock.
const SysTime kWall = sys_days(std::chrono::year(2025) / 1 / 1);

std::vector<Identifier> names(std::initializer_list<const char*> values) {
  std::vector<Identifier> out;
  for (const char* value : values)
    out.push_back({"dns", value});
  return out;
}

}  // namespace

TEST_CASE("registered domains come from the Public Suffix List, as Boulder keys them") {
  const auto& list = *debian_list();
  CHECK(registered_domain(list, {"dns", "www.Example.com."}) == "example.com");
  CHECK(registered_domain(list, {"dns", "a.b.example.co.uk"}) == "example.co.uk");
  CHECK(registered_domain(list, {"dns", "*.a.example.org"}) == "example.org");
  CHECK(registered_domain(list, {"dns", "x.github.io"}) == "x.github.io");
  CHECK(registered_domain(list, {"dns", "co.uk"}) == "co.uk");
  CHECK(registered_domain(list, {"dns", "localhost"}) == "localhost");
  CHECK(registered_domain(list, {"ip", "192.0.2.1"}) == "192.0.2.1/32");
  CHECK(registered_domain(list, {"ip", "2001:db8::1"}) == "2001:db8::/64");
  // The front without a list: the last two labels.
  const Limits without(LimitConfig{});
  CHECK(registered_domain(without.suffixes(), {"dns", "a.example.co.uk"}) == "co.uk");
  CHECK(exact_set_key({{"dns", "b.example.com"}, {"dns", "A.example.com"}}) ==
        exact_set_key(
            {{"dns", "a.example.com"}, {"dns", "b.example.com"}, {"dns", "b.example.com"}}));
  CHECK(format_retry_time(kWall + 3598500ms) == "2025-01-01 00:59:58 UTC");
}

TEST_CASE("a refused order names the limit in Boulder's words and the whole seconds to wait") {
  LimitConfig config;
  config.new_orders_per_account = {1, 1h};
  config.certificates_per_domain = {5, 24h};
  config.certificates_per_exact_set = {1, 10s};
  config.failed_authorizations_per_identifier = {1, 90s};
  Limits limits(config, debian_list());
  const Instant t0{};
  const auto order = names({"a.example.com"});
  CHECK_FALSE(limits.check_new_order(t0, kWall, "acct", order));
  limits.count_new_order(t0, "acct");
  auto refused = limits.check_new_order(t0 + 1500ms, kWall, "acct", order);
  REQUIRE(refused);
  CHECK(refused->limit == "new-orders-per-account");
  CHECK(refused->retry_after == 3599s);  // 3598.5 s rounded up
  CHECK(refused->detail ==
        "too many new orders (1) from this account in the last 1h0m0s, retry after 2025-01-01 "
        "00:59:58 UTC: see https://letsencrypt.org/docs/rate-limits/#new-orders-per-account");

  limits.count_issued(t0, order);
  refused = limits.check_new_order(t0, kWall, "other", order);
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-exact-set");
  CHECK(refused->retry_after == 10s);
  CHECK(refused->detail ==
        "too many certificates (1) already issued for this exact set of identifiers in the last "
        "10s, retry after 2025-01-01 00:00:10 UTC: see "
        "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-exact-set-of-identifiers");

  limits.count_failed_authorization(t0, "other", {"dns", "b.example.com"});
  refused = limits.check_new_order(t0, kWall, "other", names({"*.b.example.com"}));
  REQUIRE(refused);
  CHECK(refused->limit == "failed-authorizations-per-identifier");
  CHECK(refused->retry_after == 90s);
  CHECK(refused->detail ==
        "too many failed authorizations (1) for \"b.example.com\" in the last 1m30s, retry after "
        "2025-01-01 00:01:30 UTC: see "
        "https://letsencrypt.org/docs/rate-limits/"
        "#authorization-failures-per-identifier-per-account");
  // Failed authorizations count per account, as Let's Encrypt counts them.
  CHECK_FALSE(limits.check_new_order(t0, kWall, "third", names({"b.example.com"})));

  for (int i = 0; i < 5; ++i)
    limits.count_issued(t0, names({("n" + std::to_string(i) + ".example.co.uk").c_str()}));
  refused = limits.check_new_order(t0, kWall, "other", names({"www.example.co.uk"}));
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-domain");
  CHECK(refused->retry_after == 288min);  // 24h / 5
  CHECK(refused->detail ==
        "too many certificates (5) already issued for \"example.co.uk\" in the last 24h0m0s, "
        "retry after 2025-01-01 04:48:00 UTC: see "
        "https://letsencrypt.org/docs/rate-limits/#new-certificates-per-registered-domain");
}

TEST_CASE("of several limits an order is over, the one that waits longest is named") {
  LimitConfig config;
  config.new_orders_per_account = {1, 1h};
  config.certificates_per_domain = {1, 168h};
  Limits limits(config, debian_list());
  const Instant t0{};
  limits.count_new_order(t0, "acct");
  limits.count_issued(t0, names({"a.example.com"}));
  // Over both: the domain's week beats the account's hour.
  auto refused = limits.check_new_order(t0, kWall, "acct", names({"b.example.com"}));
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-domain");
  CHECK(refused->retry_after == 168h);
  // Another domain: only the hour.
  refused = limits.check_new_order(t0, kWall, "acct", names({"b.example.net"}));
  REQUIRE(refused);
  CHECK(refused->limit == "new-orders-per-account");
}

TEST_CASE("an issued set is a renewal: past new orders and domains, not its exact set") {
  LimitConfig config;
  config.new_orders_per_account = {1, 8760h};
  config.certificates_per_domain = {2, 168h};
  config.certificates_per_exact_set = {2, 168h};
  config.failed_authorizations_per_identifier = {1, 1h};
  Limits limits(config, debian_list());
  const Instant t0{};
  const auto set = names({"www.example.com", "example.com"});
  CHECK_FALSE(limits.renewal(t0, set));
  limits.count_new_order(t0, "acct");
  limits.count_issued(t0, set);

  // The account's one order a year is spent: a new set is refused (the
  // count that is zero for the renewal below is not zero here)...
  auto refused = limits.check_new_order(t0, kWall, "acct", names({"shop.example.com"}));
  REQUIRE(refused);
  CHECK(refused->limit == "new-orders-per-account");
  // ...and the same set, in another order and case, from any account, is not.
  const auto again = names({"EXAMPLE.com", "www.example.com", "example.com"});
  CHECK(limits.renewal(t0, again));
  CHECK_FALSE(limits.check_new_order(t0, kWall, "acct", again));
  CHECK_FALSE(limits.check_new_order(t0, kWall, "someone-else", again));

  // A renewal's certificate counts against its exact set but not its domain:
  // one more certificate for example.com still fits, a second does not.
  limits.count_issued(t0, again);
  refused = limits.check_new_order(t0, kWall, "acct", again);
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-exact-set");
  CHECK_FALSE(limits.check_new_order(t0, kWall, "fresh", names({"a.example.com"})));
  limits.count_issued(t0, names({"a.example.com"}));
  refused = limits.check_new_order(t0, kWall, "fresh", names({"b.example.com"}));
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-domain");

  // The exact set gets a token back after 84 hours (two a week); then a
  // failed authorization still limits the renewal.
  const Instant later = t0 + 84h;
  refused = limits.check_new_order(later - 1min, kWall, "acct", set);
  REQUIRE(refused);
  CHECK(refused->limit == "certificates-per-exact-set");
  CHECK(refused->retry_after == 60s);
  refused = limits.check_new_order(later, kWall, "acct", set);
  CHECK_FALSE(refused);
  limits.count_failed_authorization(later, "acct", {"dns", "example.com"});
  refused = limits.check_new_order(later, kWall, "acct", set);
  REQUIRE(refused);
  CHECK(refused->limit == "failed-authorizations-per-identifier");

  // An issuance older than Boulder's 120 days makes no renewal.
  const Instant stale = t0 + kRenewalLookback;
  CHECK(limits.renewal(stale - 1s, set));
  CHECK_FALSE(limits.renewal(stale, set));
  refused = limits.check_new_order(stale, kWall, "acct", set);
  REQUIRE(refused);
  CHECK(refused->limit == "new-orders-per-account");
}

TEST_CASE("the default renewal window is Boulder's: a third before the end, 1% either side") {
  const Time issued = sys_days(std::chrono::year(2025) / 3 / 1);
  // A 90-day certificate (notAfter is its last second): centred on day 60.
  const auto ninety = default_window(issued, issued + std::chrono::days(90) - 1s);
  CHECK(ninety.start == issued + std::chrono::days(60) - 1s - 77760s);  // 21.6 hours
  CHECK(ninety.end == issued + std::chrono::days(60) - 1s + 77760s);
  // Short-lived (160 hours): centred halfway, 1.6 hours either side.
  const auto short_lived = default_window(issued, issued + 160h - 1s);
  CHECK(short_lived.start == issued + 80h - 1s - 5760s);
  CHECK(short_lived.end == issued + 80h - 1s + 5760s);
  // Pebble's five years, in whole seconds.
  const auto pebble = default_window(issued, issued + std::chrono::days(1826));
  CHECK(pebble.start < pebble.end);
  CHECK(pebble.end - pebble.start == 2 * ((std::chrono::days(1826) + 1s) / 100));
}

TEST_CASE("serial numbers are written as Boulder writes them, 36 hex digits") {
  // base64url of the serial's bytes 0x01 0x02 0x03.
  CHECK(boulder_serial("aGVsbG8.AQID") == "000000000000000000000000000000010203");
  CHECK(boulder_serial("aGVsbG8.AP8") == "0000000000000000000000000000000000ff");
  CHECK(boulder_serial("no-dot").empty());
  CHECK(boulder_serial("a.!!").empty());
}

TEST_CASE("refused replaces are answered in Boulder's types and words") {
  test::ScratchDir dir;
  const auto made =
      test::openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-days", "90", "-subj", "/CN=words.example.com", "-addext",
                     "subjectAltName=DNS:words.example.com,DNS:*.words.example.com,IP:2001:db8::1",
                     "-addext", "authorityKeyIdentifier=keyid:always", "-keyout",
                     dir.path("key.pem"), "-out", dir.path("cert.pem")});
  REQUIRE(made.status == 0);
  std::ifstream in(dir.path("cert.pem"));
  std::stringstream pem;
  pem << in.rdbuf();
  auto leaf = pki::parse_certificate(pem.str(), "leaf");
  REQUIRE(leaf.ok());
  CertificateBook book;
  auto id = book.learn(pem.str(), "https://ca/acct/1");
  INFO((id.ok() ? "" : id.error().message()));
  REQUIRE(id.ok());
  const std::string prefix = "Could not validate ARI 'replaces' field :: ";
  const std::string mine = "https://ca/acct/1";

  CHECK_FALSE(book.refuse_replacement(*id, mine, {{"dns", "words.example.com"}}));
  // The wildcard covers one label, as Go's VerifyHostname has it; addresses
  // compare as addresses.
  CHECK_FALSE(book.refuse_replacement(*id, mine, {{"dns", "A.words.example.com."}}));
  CHECK_FALSE(book.refuse_replacement(*id, mine, {{"ip", "2001:DB8:0::1"}}));
  auto refused = book.refuse_replacement(*id, mine, {{"dns", "a.b.words.example.com"}});
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->type == "malformed");
  CHECK(refused->detail == prefix +
                               "identifiers in this order do not match any identifiers in the "
                               "certificate being replaced");

  refused = book.refuse_replacement(*id, "https://ca/acct/2", {{"dns", "words.example.com"}});
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(refused->type == "unauthorized");
  CHECK(refused->detail ==
        prefix + "requester account did not request the certificate being replaced by this order");

  refused = book.refuse_replacement("aGVsbG8.AQID", mine, {});
  REQUIRE(refused);
  CHECK(refused->status == 404);
  CHECK(refused->type == "malformed");
  CHECK(refused->detail == prefix +
                               "request included `replaces` field, but no current certificate "
                               "with serial \"000000000000000000000000000000010203\" exists");

  // Boulder's serial, from the CertID, is the certificate's in 36 digits.
  std::string serial = leaf->info().serial_hex;
  serial.insert(0, serial.size() < 36 ? 36 - serial.size() : 0, '0');
  CHECK(boulder_serial(*id) == serial);
  book.mark_replaced(*id);
  refused = book.refuse_replacement(*id, mine, {{"dns", "words.example.com"}});
  REQUIRE(refused);
  CHECK(refused->status == 409);
  CHECK(refused->type == "alreadyReplaced");
  CHECK(refused->detail == prefix + "cannot indicate an order replaces certificate with serial \"" +
                               serial + "\", which already has a replacement order");
  // Its window is Boulder's default for its validity.
  CHECK(book.window(*id) == default_window(leaf->info().not_before, leaf->info().not_after));
}
