// DNS-01 through Cloudflare's API: the Issuer written as cert-manager's
// documentation writes it, with certmill's --cloudflare-api-url pointed at
// dns-api-sim's Cloudflare, which writes the records into BIND for the
// propagation check and Pebble. A wildcard and its apex issued with an API
// token and with a global key; bad credentials, a zone the account lacks, a
// rate-limited API and a clean-up that fails, each told or survived.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
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
  check_issued_and_cleaned(s, "site", R"(["example.test", "*.example.test"])",
                           "_acme-challenge.example.test");
  // Two values created at one name, each deleted by its record id.
  CHECK(s.sim.served("POST", 200) == 2);
  CHECK(s.sim.served("DELETE", 200) == 2);
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
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  check_rate_limit_waited_out(s, "POST", "/client/v4/zones/");
}

TEST_CASE("Cloudflare: a record whose removal fails is removed later, not left behind") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, token_solver()));
  check_cleanup_retried(s, "DELETE", "/client/v4/zones/", 0);
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
  check_secrets_kept(scan, s.h, {kToken, kKey}, "_acme-challenge.www.example.test");
}
