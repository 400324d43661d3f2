// DNS-01 through Cloudflare's API: the Issuer written as cert-manager's
// documentation writes it, with certmill's --cloudflare-api-url pointed at
// dns-api-sim's Cloudflare, which writes the records into BIND for the
// propagation check and Pebble. A wildcard and its apex issued with an API
// token and with a global key; bad credentials, a zone the account lacks, a
// rate-limited API and a clean-up that fails, each told or survived.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_fixtures.hpp"
#include "tests/controller_live/secret_scan.hpp"
#include "tests/support/dns_api_sim.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kToken = "cf-token-4e1b9a";
constexpr const char* kEmail = "ops@example.test";
constexpr const char* kKey = "cf-global-key-77c2";

std::string token_solver() {
  return R"(    - dns01:
        cloudflare:
          apiTokenSecretRef:
            name: cloudflare-api-token-secret
            key: api-token
)";
}

struct Setup : Dns01Live {
  explicit Setup(DnsApiSimOptions options = {})
      : Dns01Live({}, false, false), sim(named, with_defaults(std::move(options))) {
    h.config().runtime.dns01_provider_api_urls["cloudflare"] = sim.url + "/client/v4";
    h.start();
    h.apply(secret_yaml("cloudflare-api-token-secret", "api-token", kToken));
    h.apply(secret_yaml("cloudflare-api-key-secret", "api-key", kKey));
  }
  static DnsApiSimOptions with_defaults(DnsApiSimOptions options) {
    options.provider = "cloudflare";
    if (options.credentials.empty())
      options.credentials = {kToken, std::string(kEmail) + ":" + kKey};
    return options;
  }
  DnsApiSim sim;
};

}  // namespace

TEST_CASE("Cloudflare: a wildcard and its apex are issued with an API token, then cleaned up") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("site", R"(["example.test", "*.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("site", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(s.h.secret_data("shop", "site-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);
  // Two values created at one name, each deleted by its record id.
  CHECK(s.sim.served("POST", 200) == 2);
  CHECK(eventually([&] { return s.sim.served("DELETE", 200) == 2; }));
  CHECK(s.sim.record_count() == 0);
  CHECK(s.named.txt("_acme-challenge.example.test").empty());
}

TEST_CASE("Cloudflare: the global API key with the account's email issues as well") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, std::string(R"(    - dns01:
        cloudflare:
          email: )") + kEmail + R"(
          apiKeySecretRef:
            name: cloudflare-api-key-secret
            key: api-key
)"));
  s.h.apply(dns_certificate_yaml("keyed", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("keyed", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(s.sim.served("POST", 200) == 1);
}

TEST_CASE("Cloudflare: a token Cloudflare refuses is told on the Challenge, in its words") {
  Setup s({.credentials = {"another-token"}});
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("Authentication error", reason));
  INFO(reason);
  CHECK_THAT(reason, Catch::Contains("HTTP 403") && Catch::Contains("10000"));
  // The token is the Secret's, never the Challenge's.
  CHECK_THAT(reason, !Catch::Contains(kToken));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Cloudflare: a zone the account does not hold is told on the Challenge") {
  Setup s({.zones = {"elsewhere.test"}});
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("nozone", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("has no zone example.test", reason));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Cloudflare: a rate-limited API is waited out after its Retry-After") {
  Setup s;
  s.sim.fault(R"({"status": 429, "count": 2, "method": "POST", "retryAfter": 1})");
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("limited", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("limited", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(s.sim.served("POST", 429) == 2);
  CHECK(s.sim.served("POST", 200) == 1);
}

TEST_CASE("Cloudflare: a record whose removal fails is removed later, not left behind") {
  Setup s;
  // More failures than one call's retries: the clean-up itself fails, and
  // the record is removed by the retry after it.
  s.sim.fault(R"({"status": 500, "count": 8, "method": "DELETE"})");
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("sticky", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("sticky", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(eventually([&] { return s.sim.served("DELETE", 200) == 1; }, std::chrono::seconds(60)));
  CHECK(s.sim.record_count() == 0);
  CHECK(s.sim.served("DELETE", 500) == 8);
  CHECK(s.named.txt("_acme-challenge.www.example.test").empty());
}

TEST_CASE("Cloudflare: the token and the key never reach a log line, an Event or a status") {
  SecretScan scan;
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  s.h.apply(dns_certificate_yaml("site", R"(["www.example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  // A refused key as well: its error goes through the same messages.
  s.h.apply(R"(apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: wrong
  namespace: shop
spec:
  acme:
    server: )" +
            s.pebble.directory_url + R"(
    caBundle: )" +
            base64_encode(s.pebble.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: wrong-account
    solvers:
    - dns01:
        cloudflare:
          email: nobody@example.test
          apiKeySecretRef:
            name: cloudflare-api-key-secret
            key: api-key
)");
  s.h.apply(certificate_yaml("refused", R"(["api.example.test"])", "    name: wrong\n"));
  std::string reason;
  REQUIRE(s.challenge_reason_with("Authentication error", reason));
  std::size_t seen = 0;
  // The scan finds what is there: the record's name is in the log.
  CHECK_FALSE(scan.find(s.h, {"_acme-challenge.www.example.test"}, seen).empty());
  const auto found = scan.find(s.h, {kToken, kKey}, seen);
  INFO("searched " << seen << " texts");
  CHECK(seen > 5);
  CHECK(found.empty());
  for (const std::string& where : found)
    UNSCOPED_INFO(where);
}
