// `certmill check dns`' pure parts: CAA records read from their wire form,
// where the search goes, the issue/issuewild decision, a directory's CA
// domain, how answers read and compare, and the checklist's two faces.
#include "tools/certmill/ops/dns_checklist.hpp"

#include <catch2/catch.hpp>

#include "tools/certmill/ops/caa.hpp"

using namespace certmill;
using namespace certmill::ops;
namespace dns = certmill::solvers::dns;

namespace {

CaaRecord caa(std::string tag, std::string value, std::uint8_t flags = 0) {
  return {.flags = flags, .tag = std::move(tag), .value = std::move(value)};
}

}  // namespace

TEST_CASE("a CAA record is read from its RDATA") {
  const std::string rdata =
      std::string("\x80\x05", 2) + "issueletsencrypt.org; validationmethods=dns-01";
  auto r = parse_caa(rdata);
  REQUIRE(r.ok());
  CHECK(r->flags == 128);
  CHECK(r->tag == "issue");
  CHECK(r->value == "letsencrypt.org; validationmethods=dns-01");
  CHECK(format_caa(*r) == "128 issue \"letsencrypt.org; validationmethods=dns-01\"");
  CHECK(parse_caa(std::string("\x00\x05iss", 5)).error().message().find("tag length of 5") !=
        std::string::npos);
  CHECK_FALSE(parse_caa(std::string("\x00", 1)).ok());
  CHECK_FALSE(parse_caa(std::string("\x00\x00", 2)).ok());
  CHECK_FALSE(parse_caa(std::string("\x00\x02i-x", 5)).ok());
  CHECK(parse_caa(std::string("\x00\x05issue", 7))->value.empty());
}

TEST_CASE("the CAA search starts at the name (a wildcard's base) and climbs") {
  CHECK(caa_search_names("www.Example.test.") ==
        std::vector<std::string>{"www.example.test", "example.test", "test"});
  CHECK(caa_search_names("*.example.test") == std::vector<std::string>{"example.test", "test"});
}

TEST_CASE("whether a CAA RRset lets the CA issue") {
  CHECK(caa_allows({}, "letsencrypt.org", false).allowed);
  const std::vector<CaaRecord> le = {caa("issue", "LetsEncrypt.org."), caa("iodef", "x")};
  CHECK(caa_allows(le, "letsencrypt.org", false).allowed);
  CHECK(caa_allows(le, "letsencrypt.org", true).allowed);  // no issuewild: issue decides
  const auto other = caa_allows({caa("issue", "pki.goog; account=1")}, "letsencrypt.org", false);
  CHECK_FALSE(other.allowed);
  CHECK(other.why == "0 issue \"pki.goog; account=1\" does not allow letsencrypt.org");
  CHECK_FALSE(caa_allows({caa("issue", ";")}, "letsencrypt.org", false).allowed);
  const std::vector<CaaRecord> no_wild = {caa("issue", "letsencrypt.org"), caa("ISSUEWILD", ";")};
  CHECK(caa_allows(no_wild, "letsencrypt.org", false).allowed);
  CHECK_FALSE(caa_allows(no_wild, "letsencrypt.org", true).allowed);
  CHECK(caa_allows({caa("iodef", "mailto:x@example.test")}, "letsencrypt.org", false).allowed);
  const auto critical =
      caa_allows({caa("issue", "letsencrypt.org"), caa("tbs", "x", 128)}, "letsencrypt.org", false);
  CHECK_FALSE(critical.allowed);
  CHECK(critical.why.find("critical") != std::string::npos);
}

TEST_CASE("the CA domain of an ACME directory") {
  CHECK(ca_domain_of("https://acme-v02.api.letsencrypt.org/directory") == "letsencrypt.org");
  CHECK(ca_domain_of("https://acme-staging-v02.api.letsencrypt.org/directory") ==
        "letsencrypt.org");
  CHECK(ca_domain_of("https://acme.zerossl.com/v2/DV90") == "sectigo.com");
  CHECK(ca_domain_of("https://dv.acme-v02.api.pki.goog/directory") == "pki.goog");
  CHECK(ca_domain_of("https://acme.example.test:14000/dir") == "example.test");
  CHECK(ca_domain_of("https://localhost/dir") == "localhost");
}

TEST_CASE("answers read as lines, and servers that differ fail the agreement") {
  dns::Message txt{
      .rcode = 0, .authoritative = true, .truncated = false, .answers = {}, .authorities = {}};
  CHECK(answer_lines(txt) == std::vector<std::string>{"no records"});
  txt.answers = {{.name = "a", .type = 16, .data = "b", .soa_serial = 0},
                 {.name = "a", .type = 16, .data = "a", .soa_serial = 0}};
  CHECK(answer_lines(txt) == std::vector<std::string>{"TXT \"a\"", "TXT \"b\""});
  txt.rcode = 3;
  CHECK(answer_lines(txt) == std::vector<std::string>{"NXDOMAIN"});

  const ServerAnswer one{
      .server = "10.0.0.1:53", .serial = 7, .challenge = {"NXDOMAIN"}, .error = {}};
  ServerAnswer two = one;
  two.server = "10.0.0.2:53";
  CHECK(agreement_item({one, two}, "_acme-challenge.x").ok);
  two.serial = 6;
  const CheckItem lag = agreement_item({one, two}, "_acme-challenge.x");
  CHECK_FALSE(lag.ok);
  CHECK(lag.details[1] == "10.0.0.2:53: serial 6; NXDOMAIN");
  two.serial = 7;
  two.error = "timed out";
  CHECK_FALSE(agreement_item({one, two}, "_acme-challenge.x").ok);
  CHECK_FALSE(agreement_item({}, "_acme-challenge.x").ok);
}

TEST_CASE("the checklist: marks for a terminal, ASCII for a pipe") {
  const std::vector<CheckItem> items = {{.ok = true, .title = "good", .details = {}},
                                        {.ok = false, .title = "bad", .details = {"why"}}};
  CHECK(format_checklist(items, false, Paint(false)) == "[ok]   good\n[FAIL] bad\n       why\n");
  CHECK(format_checklist(items, true, Paint(false)) == "✓ good\n✗ bad\n  why\n");
  CHECK(format_checklist(items, true, Paint(true)).find("\033[32m✓\033[0m good") !=
        std::string::npos);
}
