// cert-manager's webhook rules for an Issuer spec: each broken once on a spec
// that is otherwise valid, with the webhook's message; and what readiness
// makes of a spec that breaks one.
#include "controller/issuer_validation.hpp"

#include <functional>

#include <catch2/catch.hpp>

#include "controller/certificate_validation.hpp"
#include "controller/issuer_readiness.hpp"
#include "controller/issuer_view.hpp"
#include "controller/name_syntax.hpp"
#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;

namespace {

api::IssuerSpec acme_spec() {
  api::IssuerSpec spec;
  spec.acme.emplace();
  spec.acme->server = "https://acme-v02.api.letsencrypt.org/directory";
  spec.acme->private_key_secret_ref.name = "account-key";
  api::ACMEChallengeSolver solver;
  solver.http01.emplace();
  solver.http01->ingress.emplace();
  spec.acme->solvers = {solver};
  return spec;
}

// The ACME spec's one solver, turned into an empty dns01 solver.
api::ACMEChallengeSolverDNS01& dns01_of(api::IssuerSpec& spec) {
  spec.acme->solvers[0].http01.reset();
  return spec.acme->solvers[0].dns01.emplace();
}

struct Case {
  const char* what;
  std::function<void(api::IssuerSpec&)> edit;
  const char* message;  // a part of the one error expected
};

}  // namespace

TEST_CASE("valid issuer specs break no rule") {
  CHECK(issuer_spec_errors(acme_spec()).empty());
  api::IssuerSpec ca;
  ca.ca.emplace();
  ca.ca->secret_name = "root-secret";
  CHECK(issuer_spec_errors(ca).empty());
  api::IssuerSpec self_signed;
  self_signed.self_signed.emplace();
  CHECK(issuer_spec_errors(self_signed).empty());
  api::IssuerSpec dns = acme_spec();
  dns01_of(dns).rfc2136.emplace().nameserver = "127.0.0.1:53";
  INFO(aggregate_errors(issuer_spec_errors(dns)));
  CHECK(issuer_spec_errors(dns).empty());
  api::IssuerSpec vault;
  vault.vault.emplace();
  vault.vault->server = "https://vault.example.com";
  vault.vault->path = "pki_int/sign/example-dot-com";
  vault.vault->auth.token_secret_ref = api::SecretKeySelector{"vault-token", "token"};
  CHECK(issuer_spec_errors(vault).empty());
}

TEST_CASE("each issuer rule the webhook applies is one error with the webhook's message") {
  const Case cases[] = {
      {"no type", [](auto& s) { s.acme.reset(); },
       "spec: Required value: at least one issuer must be configured"},
      {"two types", [](auto& s) { s.self_signed.emplace(); },
       "spec.selfSigned: Forbidden: may not specify more than one issuer type"},
      {"no server", [](auto& s) { s.acme->server.clear(); },
       "spec.acme.server: Required value: acme server URL is a required field"},
      {"no account key", [](auto& s) { s.acme->private_key_secret_ref.name.clear(); },
       "spec.acme.privateKeySecretRef.name: Required value: private key secret name is a "
       "required field"},
      {"EAB without a keyID",
       [](auto& s) {
         s.acme->external_account_binding.emplace();
         s.acme->external_account_binding->key_secret_ref = {"eab", "secret"};
       },
       "spec.acme.externalAccountBinding.keyID: Required value: the keyID field is required"},
      {"a solver with no type", [](auto& s) { s.acme->solvers[0].http01.reset(); },
       "spec.acme.solvers[0]: Required value: no solver type configured"},
      {"a solver with two types", [](auto& s) { s.acme->solvers[0].dns01.emplace(); },
       "spec.acme.solvers[0]: Forbidden: may not specify more than one solver type in a single "
       "solver"},
      {"http01 with neither ingress nor gateway",
       [](auto& s) { s.acme->solvers[0].http01->ingress.reset(); },
       "spec.acme.solvers[0].http01: Required value: no HTTP01 solver type configured"},
      {"http01 with both", [](auto& s) { s.acme->solvers[0].http01->gateway_http_route.emplace(); },
       "spec.acme.solvers[0].http01: Required value: only 1 HTTP01 solver type may be configured"},
      {"ingress class and name",
       [](auto& s) {
         s.acme->solvers[0].http01->ingress->class_ = "nginx";
         s.acme->solvers[0].http01->ingress->name = "web";
       },
       "only one of 'ingressClassName', 'name' or 'class' should be specified"},
      {"an odd serviceType",
       [](auto& s) { s.acme->solvers[0].http01->ingress->service_type = "LoadBalancer"; },
       "spec.acme.solvers[0].http01.ingress.serviceType: Invalid value: \"LoadBalancer\": must be "
       "empty, \"ClusterIP\" or \"NodePort\""},
      {"dns01 with no provider", [](auto& s) { dns01_of(s); },
       "spec.acme.solvers[0].dns01: Required value: no DNS01 provider configured"},
      {"dns01 with two providers",
       [](auto& s) {
         auto& d = dns01_of(s);
         d.rfc2136.emplace().nameserver = "127.0.0.1:53";
         d.route53.emplace();
       },
       "spec.acme.solvers[0].dns01.rfc2136: Forbidden: may not specify more than one provider "
       "type"},
      {"rfc2136 without a nameserver", [](auto& s) { dns01_of(s).rfc2136.emplace(); },
       "spec.acme.solvers[0].dns01.rfc2136.nameserver: Required value"},
      {"rfc2136 with a nameserver that is no host:port",
       [](auto& s) { dns01_of(s).rfc2136.emplace().nameserver = "ns1 example com"; },
       "spec.acme.solvers[0].dns01.rfc2136.nameserver: Invalid value: \"ns1 example com\": "
       "nameserver must be set in the form host:port"},
      {"rfc2136 with an unknown TSIG algorithm",
       [](auto& s) {
         auto& r = dns01_of(s).rfc2136.emplace();
         r.nameserver = "127.0.0.1:53";
         r.tsig_algorithm = "HMACSHA3";
       },
       "spec.acme.solvers[0].dns01.rfc2136.tsigAlgorithm: Unsupported value: \"\": supported "
       "values: \"HMACMD5\", \"HMACSHA1\", \"HMACSHA256\", \"HMACSHA512\""},
      {"rfc2136 with a TSIG key name and no Secret",
       [](auto& s) {
         auto& r = dns01_of(s).rfc2136.emplace();
         r.nameserver = "127.0.0.1:53";
         r.tsig_key_name = "acme";
       },
       "spec.acme.solvers[0].dns01.rfc2136.tsigSecretSecretRef.name: Required value"},
      {"rfc2136 with a TSIG Secret and no key name",
       [](auto& s) {
         auto& r = dns01_of(s).rfc2136.emplace();
         r.nameserver = "127.0.0.1:53";
         r.tsig_secret_secret_ref = api::SecretKeySelector{"tsig", "secret"};
       },
       "spec.acme.solvers[0].dns01.rfc2136.tsigKeyName: Required value"},
      {"an ingressClassName that is no object name",
       [](auto& s) {
         s.acme->solvers[0].http01->ingress->ingress_class_name = "azure/application-gateway";
       },
       "spec.acme.solvers[0].http01.ingress.ingressClassName: Invalid value: "
       "\"azure/application-gateway\": must be a valid IngressClass name: a lowercase RFC 1123 "
       "subdomain"},
      {"a CA with an empty OCSP server",
       [](auto& s) {
         s.acme.reset();
         s.ca.emplace().secret_name = "ca";
         s.ca->ocsp_servers = {"http://ocsp.example.com", ""};
       },
       "spec.ca.ocspServer[1]: Invalid value: \"\": must be a valid URL"},
      {"a CA with an empty issuing certificate URL",
       [](auto& s) {
         s.acme.reset();
         s.ca.emplace().secret_name = "ca";
         s.ca->issuing_certificate_urls = {""};
       },
       "spec.ca.issuingCertificateURLs[0]: Invalid value: \"\": must be a valid URL"},
      {"cloudflare without credentials", [](auto& s) { dns01_of(s).cloudflare.emplace(); },
       "apiKeySecretRef or apiTokenSecretRef is required"},
      {"a webhook without a solver name", [](auto& s) { dns01_of(s).webhook.emplace(); },
       "spec.acme.solvers[0].dns01.webhook.solverName: Required value: solver name must be "
       "specified"},
      {"caBundle with skipTLSVerify",
       [](auto& s) {
         s.acme->ca_bundle.data = "x";
         s.acme->skip_tls_verify = true;
       },
       "caBundle and skipTLSVerify are mutually exclusive"},
      {"a CA without its Secret",
       [](auto& s) {
         s.acme.reset();
         s.ca.emplace();
       },
       "spec.ca.secretName: Required value"},
      {"vault without a path",
       [](auto& s) {
         s.acme.reset();
         s.vault.emplace().server = "https://vault.example.com";
         s.vault->auth.token_secret_ref = api::SecretKeySelector{"t", "token"};
       },
       "spec.vault.path: Required value"},
      {"vault with .. in its path",
       [](auto& s) {
         s.acme.reset();
         s.vault.emplace().server = "https://vault.example.com";
         s.vault->path = "pki/../sys/sign";
         s.vault->auth.token_secret_ref = api::SecretKeySelector{"t", "token"};
       },
       "spec.vault.path: Invalid value: \"pki/../sys/sign\": must not contain '..' path segments"},
      {"vault with no way to log in",
       [](auto& s) {
         s.acme.reset();
         s.vault.emplace().server = "https://vault.example.com";
         s.vault->path = "pki/sign/web";
       },
       "spec.vault.auth: Required value: please supply one of: appRole, kubernetes, "
       "tokenSecretRef"},
  };
  for (const Case& c : cases) {
    api::IssuerSpec spec = acme_spec();
    c.edit(spec);
    const std::vector<std::string> errors = issuer_spec_errors(spec);
    INFO(c.what << ": " << aggregate_errors(errors));
    REQUIRE(errors.size() >= 1);
    CHECK_THAT(errors[0], Catch::Contains(c.message));
  }
}

TEST_CASE("an issuer whose spec breaks a rule is Ready=False ConfigError with the message") {
  api::Issuer issuer;
  issuer.metadata.namespace_ = "apps";
  issuer.metadata.name = "letsencrypt";
  issuer.metadata.generation = 2;
  issuer.spec = acme_spec();
  issuer.spec.acme->server.clear();
  const IssuerView view = project_issuer(api::Issuer(issuer));
  REQUIRE_FALSE(view.spec_error.empty());
  const IssuerDecision d = reconcile_issuer({view, nullptr, test::t0}, "kube-system");
  REQUIRE(d.ready);
  CHECK(d.ready->status == api::ConditionStatus::False);
  CHECK(d.ready->reason == "ConfigError");
  CHECK(d.ready->message ==
        "Resource validation failed: spec.acme.server: Required value: acme server URL is a "
        "required field");
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].reason == "ConfigError");

  issuer.spec = acme_spec();
  CHECK(project_issuer(api::Issuer(issuer)).spec_error.empty());
  // A valid ACME issuer's readiness is the account registration's to decide.
  CHECK_FALSE(
      reconcile_issuer({project_issuer(api::Issuer(issuer)), nullptr, test::t0}, "kube-system")
          .ready);
}

TEST_CASE("an rfc2136 nameserver is host[:port], as the webhook reads it") {
  for (const char* good :
       {"127.0.0.1", "127.0.0.1:53", " 10.0.0.1:5353 ", "[2001:db8::1]", "[2001:db8::1]:53",
        "ns1.example.com", "NS1.Example.com:53", "127.0.0.1:", "bind"})
    CHECK(parses_as_nameserver(good));
  for (const char* bad :
       {"", ":53", "ns1 example com", "2001:db8::1", "2001:db8::1:53", "[2001:db8::1",
        "[2001:db8::1]53", "[nope]:53", "127.0.0.1:65536", "127.0.0.1:5x", "ns1.example.com:53:53",
        "-ns1.example.com", "ns1..example.com"})
    CHECK_FALSE(parses_as_nameserver(bad));
}

TEST_CASE("an IngressClass name is a lowercase RFC 1123 subdomain") {
  for (const char* good : {"nginx", "a", "ingress-nginx.example.com", "0"})
    CHECK(dns1123_subdomain_problem(good).empty());
  for (const char* bad :
       {"", "Nginx", "azure/application-gateway", "-nginx", "nginx-", "a..b", "under_score"})
    CHECK_FALSE(dns1123_subdomain_problem(bad).empty());
  CHECK(dns1123_subdomain_problem(std::string(254, 'a'))
            .starts_with("must be no more than 253 characters"));
}
