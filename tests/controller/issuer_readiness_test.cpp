// Issuer readiness: SelfSigned is Ready; a CA issuer only with a valid CA key
// pair in its Secret (ClusterIssuers read the cluster resource namespace).
#include "controller/issuer_readiness.hpp"

#include <catch2/catch.hpp>

#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;
using std::chrono::hours;

namespace {

IssuerView ca_issuer(bool cluster = false) {
  IssuerView v;
  v.cluster = cluster;
  v.namespace_ = cluster ? "" : "apps";
  v.name = "ca-issuer";
  v.generation = 3;
  v.type = IssuerType::CA;
  v.ca_secret_name = "root-ca";
  return v;
}

api::Secret ca_secret(const std::string& crt, const std::string& key) {
  api::Secret s;
  s.metadata.name = "root-ca";
  s.type = "kubernetes.io/tls";
  s.data["tls.crt"].data = crt;
  s.data["tls.key"].data = key;
  return s;
}

}  // namespace

TEST_CASE("a SelfSigned issuer is Ready (IsReady), and says so only once") {
  IssuerView v;
  v.name = "bootstrap";
  v.type = IssuerType::SelfSigned;
  const IssuerDecision d = reconcile_issuer({v, nullptr, test::t0}, "kube-system");
  REQUIRE(d.ready);
  CHECK(d.ready->status == ConditionStatus::True);
  CHECK(d.ready->reason == "IsReady");
  CHECK(d.ready->last_transition_time == test::t0);
  CHECK(d.events.empty());
  v.ready = condition_view({*d.ready}, "Ready");
  CHECK_FALSE(reconcile_issuer({v, nullptr, test::t0 + hours(1)}, "kube-system").ready);
}

TEST_CASE("a CA issuer with a valid CA key pair is Ready until the CA expires") {
  const test::TestCa ca = test::make_root_ca();
  IssuerView v = ca_issuer();
  const api::Secret secret = ca_secret(ca.tls_crt, ca.tls_key);
  const IssuerDecision d = reconcile_issuer({v, &secret, test::t0}, "kube-system");
  REQUIRE(d.ready);
  CHECK(d.ready->status == ConditionStatus::True);
  CHECK(d.ready->reason == "KeyPairVerified");
  CHECK(d.ready->message == "Signing CA verified");
  CHECK(d.ready->observed_generation == 3);
  CHECK(d.requeue_at == test::t0 + hours(24 * 365));

  v.ready = condition_view({*d.ready}, "Ready");
  CHECK_FALSE(reconcile_issuer({v, &secret, test::t0 + hours(5)}, "kube-system").ready);

  const IssuerDecision expired =
      reconcile_issuer({v, &secret, test::t0 + hours(24 * 365)}, "kube-system");
  REQUIRE(expired.ready);
  CHECK(expired.ready->status == ConditionStatus::False);
  CHECK(expired.ready->reason == "ErrInvalidKeyPair");
  CHECK(expired.ready->message.find("expired at 2027-03-01T12:00:00Z") != std::string::npos);
  CHECK(expired.events.size() == 1);
}

TEST_CASE("CA issuer failures give cert-manager's reasons and a Warning Event") {
  const test::TestCa ca = test::make_root_ca();
  const test::Issued leaf = test::issue(test::make_certificate().spec, ca);
  struct Row {
    const char* behaviour;
    std::optional<api::Secret> secret;
    const char* reason;
    std::string message;  // a prefix
  };
  const Row rows[] = {
      {"the Secret does not exist", std::nullopt, "ErrGetKeyPair",
       "Error getting keypair for CA issuer: secrets \"root-ca\" not found"},
      {"no tls.key", ca_secret(ca.tls_crt, ""), "ErrGetKeyPair",
       "Error getting keypair for CA issuer: secret \"apps/root-ca\" has no tls.key"},
      {"a leaf, not a CA", ca_secret(leaf.bundle.chain_pem, leaf.key_pem), "ErrInvalidKeyPair",
       "Invalid signing key pair: CA Secret apps/root-ca: the certificate in tls.crt"},
      {"key of another certificate", ca_secret(ca.tls_crt, leaf.key_pem), "ErrInvalidKeyPair",
       "Invalid signing key pair: CA Secret apps/root-ca: tls.key does not match"},
  };
  for (const Row& row : rows) {
    const IssuerView v = ca_issuer();
    const IssuerDecision d =
        reconcile_issuer({v, row.secret ? &*row.secret : nullptr, test::t0}, "kube-system");
    INFO(row.behaviour);
    REQUIRE(d.ready);
    CHECK(d.ready->status == ConditionStatus::False);
    CHECK(d.ready->reason == row.reason);
    CHECK(d.ready->message.rfind(row.message, 0) == 0);
    CHECK(d.events == std::vector<EventNote>{{"Warning", row.reason, d.ready->message}});
  }
}

TEST_CASE("a CA that is not valid yet is looked at again when it becomes valid") {
  const Time later = test::t0 + hours(48);
  const test::TestCa ca =
      test::make_root_ca(api::PrivateKeyAlgorithm::ECDSA, std::chrono::hours(24 * 365), later);
  const api::Secret secret = ca_secret(ca.tls_crt, ca.tls_key);
  const IssuerDecision d = reconcile_issuer({ca_issuer(), &secret, test::t0}, "kube-system");
  REQUIRE(d.ready);
  CHECK(d.ready->reason == "ErrInvalidKeyPair");
  CHECK(d.requeue_at == later);
}

TEST_CASE("a ClusterIssuer's CA Secret lives in the cluster resource namespace") {
  const IssuerView cluster = ca_issuer(true);
  CHECK(issuer_secret_namespace(cluster, "kube-system") == "kube-system");
  CHECK(issuer_secret_namespace(cluster, "cert-manager") == "cert-manager");
  CHECK(issuer_secret_namespace(ca_issuer(), "cert-manager") == "apps");
  const api::Secret no_key = ca_secret("x", "");
  const IssuerDecision d = reconcile_issuer({cluster, &no_key, test::t0}, "cert-manager");
  REQUIRE(d.ready);
  CHECK(d.ready->message ==
        "Error getting keypair for CA issuer: secret \"cert-manager/root-ca\" has no tls.key");
}

TEST_CASE("ACME and Vault issuers are left to their own backends") {
  IssuerView v;
  v.type = IssuerType::ACME;
  const IssuerDecision d = reconcile_issuer({v, nullptr, test::t0}, "kube-system");
  CHECK_FALSE(d.ready);
  CHECK(d.events.empty());
  // An issuer of no type is one whose spec breaks the webhook's rules.
  const IssuerView none = project_issuer(api::Issuer{});
  const IssuerDecision bad = reconcile_issuer({none, nullptr, test::t0}, "kube-system");
  REQUIRE(bad.ready);
  CHECK(bad.ready->reason == "ConfigError");
  CHECK(bad.ready->message ==
        "Resource validation failed: spec: Required value: at least one issuer must be configured");
}
