// DNS-01 through acme-dns: the user has registered an account with the
// acme-dns server and pointed _acme-challenge at its subdomain by a CNAME;
// the Issuer's acmeDNS block names the server (dns-api-sim's acme-dns) and
// the accounts' Secret, as cert-manager's documentation writes it, without
// a cnameStrategy: the propagation check follows the user's CNAME to where
// acme-dns writes, as cert-manager's does. A wildcard and its apex issued
// through one account; a key acme-dns refuses told.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
#include "tests/support/dns_api_sim.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kUser = "eabcdb41-d89f-4580-826f-3e62e9755ef2";
constexpr const char* kKey = "pbAXVjlIOE01xbut7YnAbkhMQIkcwoHO0ek2j4Q0";
constexpr const char* kSubdomain = "d420c923-bbd7-4056-ab64-c3ca54c9b3cf";
constexpr const char* kAcmeDnsZone = "auth.example.test";

// What acme-dns's /register answered, kept under the domain it proves.
std::string accounts_json() {
  return std::string(R"({"example.test": {"username": ")") + kUser + R"(", "password": ")" + kKey +
         R"(", "fulldomain": ")" + kSubdomain + "." + kAcmeDnsZone + R"(", "subdomain": ")" +
         kSubdomain + R"(", "allowfrom": []}})";
}

std::string solver(const DnsApiSim& sim) {
  return R"(    - dns01:
        acmeDNS:
          host: )" +
         sim.url + R"(
          accountSecretRef:
            name: acme-dns
            key: acmedns.json
)";
}

struct Setup : Dns01Live {
  explicit Setup(std::string credential)
      : Dns01Live({.example_records = std::string("_acme-challenge IN CNAME ") + kSubdomain + "." +
                                      kAcmeDnsZone + ".\n",
                   .more_zones = {kAcmeDnsZone},
                   .recursion = true}),
        sim(named, {.provider = "acme-dns",
                    .zones = {kAcmeDnsZone},
                    .credentials = {std::move(credential)}}) {
    h.apply(secret_yaml("acme-dns", "acmedns.json", accounts_json()));
    h.apply(issuer_yaml(pebble, solver(sim)));
  }
  DnsApiSim sim;
};

std::string account(const std::string& key) {
  return std::string(kUser) + ":" + key + ":" + kSubdomain;
}

}  // namespace

TEST_CASE("acme-dns: a wildcard and its apex are issued through the account's subdomain") {
  Setup s(account(kKey));
  s.h.apply(dns_certificate_yaml("site", R"(["example.test", "*.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("site", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(s.h.secret_data("shop", "site-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);
  CHECK(s.sim.served("POST", 200) == 2);
  // acme-dns has no delete: both values stay until later ones push them out.
  CHECK(s.sim.values(std::string(kSubdomain) + "." + kAcmeDnsZone).size() == 2);
}

TEST_CASE("acme-dns: a key acme-dns refuses is told on the Challenge") {
  Setup s(account("another-key"));
  s.h.apply(dns_certificate_yaml("refused", R"(["example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("HTTP 401: acme-dns: forbidden", reason));
  INFO(reason);
  CHECK_THAT(reason, !Catch::Contains(kKey));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("acme-dns: a rate-limited server is waited out after its Retry-After") {
  Setup s(account(kKey));
  check_rate_limit_waited_out(s, "POST", "/update", R"(["example.test"])");
}

TEST_CASE("acme-dns: the account's key never reaches a log, an Event or a status") {
  SecretScan scan;
  Setup s(account(kKey));
  s.h.apply(dns_certificate_yaml("site", R"(["example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  check_secrets_kept(scan, s.h, {kKey}, "_acme-challenge.example.test");
}
