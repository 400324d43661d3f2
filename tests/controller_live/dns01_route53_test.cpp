// DNS-01 through Route53's API: the Issuer written as cert-manager's
// documentation writes it, with certmill's --route53-api-url pointed at
// dns-api-sim's Route53 (which checks every SigV4 signature and serves STS),
// writing into BIND for the propagation check and Pebble. A wildcard and its
// apex share one TXT set, changed whole; a role is assumed; a wrong secret,
// a missing zone and missing keys are told; a clean-up that fails is retried.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
#include "tests/support/dns_api_sim.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kKeyId = "AKIDSIMEXAMPLE";
constexpr const char* kSecret = "route53-secret-9f0d2b";

std::string keys_solver(const std::string& more = {}) {
  return R"(    - dns01:
        route53:
          region: eu-west-1
)" + more +
         R"(          accessKeyIDSecretRef:
            name: route53-credentials
            key: access-key-id
          secretAccessKeySecretRef:
            name: route53-credentials
            key: secret-access-key
)";
}

struct Setup : Dns01Live {
  explicit Setup(DnsApiSimOptions options = {}, std::string secret = kSecret)
      : Dns01Live({}, false, false), sim(named, with_defaults(std::move(options))) {
    h.config().runtime.dns01_provider_api_urls["route53"] = sim.url;
    h.start();
    h.apply(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: route53-credentials\n  namespace: "
        "shop\ndata:\n  access-key-id: " +
        base64_encode(kKeyId) + "\n  secret-access-key: " + base64_encode(secret) + "\n");
  }
  static DnsApiSimOptions with_defaults(DnsApiSimOptions options) {
    options.provider = "route53";
    options.credentials = {std::string(kKeyId) + ":" + kSecret};
    return options;
  }

  DnsApiSim sim;
};

}  // namespace

TEST_CASE("Route53: a wildcard and its apex share one TXT set, issued and then cleaned up") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, keys_solver()));
  check_issued_and_cleaned(s, "site", R"(["example.test", "*.example.test"])",
                           "_acme-challenge.example.test");
  // Each value went in by a change of the set, and out again.
  CHECK(s.sim.served("POST", 200) >= 4);
  CHECK(s.sim.served("GET", 403) == 0);
}

TEST_CASE("Route53: a role is assumed through STS and its temporary keys sign the changes") {
  Setup s;
  s.h.apply(
      issuer_yaml(s.pebble, keys_solver("          role: arn:aws:iam::123456789012:role/dns\n")));
  s.h.apply(dns_certificate_yaml("role", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("role", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
}

TEST_CASE("Route53: auth.kubernetes exchanges a ServiceAccount token for the role's keys") {
  Setup s;
  s.h.apply(R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: route53-dns
  namespace: shop
)");
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        route53:
          region: eu-west-1
          role: arn:aws:iam::123456789012:role/dns
          auth:
            kubernetes:
              serviceAccountRef:
                name: route53-dns
)"));
  s.h.apply(dns_certificate_yaml("irsa", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("irsa", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  // The token came from the TokenRequest API, once per Challenge's provider.
  CHECK(requests(s.h, "create", "serviceaccounts") >= 1);
  CHECK(eventually([&] { return s.sim.record_count() == 0; }));
}

TEST_CASE("Route53: auth.kubernetes without a role says so") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        route53:
          auth:
            kubernetes:
              serviceAccountRef:
                name: route53-dns
)"));
  s.h.apply(dns_certificate_yaml("norole", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("auth.kubernetes needs role", reason));
}

TEST_CASE("Route53: a role STS refuses is told on the Challenge") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, keys_solver("          role: not-an-arn\n")));
  s.h.apply(dns_certificate_yaml("norole", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("AccessDenied", reason));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Route53: a wrong secret is told as AWS says it, and the secret never appears") {
  Setup s({}, "not-the-secret");
  s.h.apply(issuer_yaml(s.pebble, keys_solver()));
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("SignatureDoesNotMatch", reason));
  CHECK_THAT(reason, Catch::Contains("HTTP 403") && !Catch::Contains("not-the-secret"));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Route53: a zone the account lacks, by name or by hostedZoneID, is told") {
  Setup s({.zones = {"elsewhere.test"}});
  s.h.apply(issuer_yaml(s.pebble, keys_solver()));
  s.h.apply(dns_certificate_yaml("nozone", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("no public hosted zone example.test", reason));
  s.h.apply(R"(apiVersion: v1
kind: Namespace
metadata:
  name: other
)");
  Setup t;
  t.h.apply(issuer_yaml(t.pebble, keys_solver("          hostedZoneID: ZNOSUCHZONE1\n")));
  t.h.apply(dns_certificate_yaml("byid", R"(["www.example.test"])"));
  CHECK(t.challenge_reason_with("NoSuchHostedZone", reason));
}

TEST_CASE("Route53: without keys and without ambient credentials the Challenge says what to set") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        route53:
          region: eu-west-1
)"));
  s.h.apply(dns_certificate_yaml("nokeys", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("ambient credentials are off", reason));
}

TEST_CASE("Route53: a throttled API is waited out after its Retry-After") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, keys_solver()));
  check_rate_limit_waited_out(s, "POST", "/2013-04-01/hostedzone/");
}

TEST_CASE("Route53: a change that fails during clean-up is made later") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, keys_solver()));
  // The add's change goes through; the clean-up's meet the 500s.
  check_cleanup_retried(s, "POST", "/2013-04-01/hostedzone/", 1);
}

TEST_CASE("Route53: the secret key and the role's keys never reach a log, an Event or a status") {
  SecretScan scan;
  Setup s;
  s.h.apply(
      issuer_yaml(s.pebble, keys_solver("          role: arn:aws:iam::123456789012:role/dns\n")));
  s.h.apply(dns_certificate_yaml("site", R"(["www.example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  // The emulator's STS hands out these (tools/dns-api-sim/route53.cpp).
  check_secrets_kept(scan, s.h, {kSecret, "temporary-secret-", "session-token-"},
                     "_acme-challenge.www.example.test");
}
