// Why a Certificate is (re-)issued: cert-manager's trigger policy chain
// (policies.NewTriggerPolicyChain), its reasons and messages word for word,
// and the Ready condition its readiness chain gives at the same time.
#include <catch2/catch.hpp>

#include "controller/certificate_checks.hpp"
#include "tests/controller/reconcile_support.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;
using std::chrono::hours;

namespace {

const api::Condition* find(const Decision& d, const std::string& type) {
  if (!d.status)
    return nullptr;
  for (const api::Condition& c : d.status->conditions) {
    if (c.type == type)
      return &c;
  }
  return nullptr;
}

struct Case {
  api::Certificate crt;
  std::optional<api::Secret> secret;
  bool with_request = true;
  Time now = test::t0 + hours(24);
};

struct Row {
  const char* behaviour;
  void (*arrange)(Case&, const test::World&);
  const char* reason;
  std::string message;  // exact; a trailing '*' compares only the prefix
  const char* ready_reason;
};

void check_message(const std::string& got, const std::string& want) {
  if (!want.empty() && want.back() == '*')
    CHECK(got.rfind(want.substr(0, want.size() - 1), 0) == 0);
  else
    CHECK(got == want);
}

}  // namespace

TEST_CASE("each trigger policy requests issuance with cert-manager's reason and message") {
  const test::World world;
  const Row rows[] = {
      {"SecretDoesNotExist", [](Case& c, const test::World&) { c.secret.reset(); }, "DoesNotExist",
       "Issuing certificate as Secret does not exist", "DoesNotExist"},
      {"SecretIsMissingData: no data", [](Case& c, const test::World&) { c.secret->data.clear(); },
       "MissingData", "Issuing certificate as Secret does not contain any data", "MissingData"},
      {"SecretIsMissingData: no key",
       [](Case& c, const test::World&) { c.secret->data.erase("tls.key"); }, "MissingData",
       "Issuing certificate as Secret does not contain a private key", "MissingData"},
      {"SecretIsMissingData: no certificate",
       [](Case& c, const test::World&) { c.secret->data.erase("tls.crt"); }, "MissingData",
       "Issuing certificate as Secret does not contain a certificate", "MissingData"},
      {"SecretPublicKeysDiffer: key does not parse",
       [](Case& c, const test::World&) { c.secret->data["tls.key"].data = "junk"; },
       "InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data: *",
       "InvalidKeyPair"},
      {"SecretPublicKeysDiffer: certificate does not parse",
       [](Case& c, const test::World&) { c.secret->data["tls.crt"].data = "junk"; },
       "InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: *",
       "InvalidCertificate"},
      {"SecretPrivateKeyMismatchesSpec: algorithm",
       [](Case& c, const test::World&) {
         c.crt.spec.private_key->algorithm = api::PrivateKeyAlgorithm::RSA;
       },
       "SecretMismatch",
       "Existing private key is not up to date for spec: [spec.privateKey.algorithm]", "Ready"},
      {"SecretPrivateKeyMismatchesSpec: size",
       [](Case& c, const test::World&) { c.crt.spec.private_key->size = 384; }, "SecretMismatch",
       "Existing private key is not up to date for spec: [spec.privateKey.size]", "Ready"},
      {"SecretIssuerAnnotationsMismatch",
       [](Case& c, const test::World&) {
         c.secret->metadata.annotations["cert-manager.io/issuer-name"] = "old-ca";
       },
       "IncorrectIssuer",
       "Issuing certificate as Secret was previously issued by \"Issuer.cert-manager.io/old-ca\"",
       "Ready"},
      {"SecretCertificateNameAnnotationsMismatch",
       [](Case& c, const test::World&) {
         c.secret->metadata.annotations["cert-manager.io/certificate-name"] = "api";
       },
       "IncorrectCertificate",
       "Secret was issued for \"api\". If this message is not transient, you might have two "
       "conflicting Certificates pointing to the same secret.",
       "Ready"},
      {"CurrentCertificateRequestMismatchesSpec: dnsNames",
       [](Case& c, const test::World&) { c.crt.spec.dns_names.push_back("new.example.com"); },
       "RequestChanged",
       "Fields on existing CertificateRequest resource not up to date: [spec.dnsNames]",
       "RequestChanged"},
      {"CurrentCertificateRequestMismatchesSpec: issuerRef",
       [](Case& c, const test::World&) {
         c.crt.spec.issuer_ref.name = "other-ca";
         c.secret->metadata.annotations.erase("cert-manager.io/issuer-name");
         c.secret->metadata.annotations.erase("cert-manager.io/issuer-kind");
         c.secret->metadata.annotations.erase("cert-manager.io/issuer-group");
       },
       "RequestChanged",
       "Fields on existing CertificateRequest resource not up to date: [spec.issuerRef]",
       "RequestChanged"},
      {"currentSecretValidForSpec without a request",
       [](Case& c, const test::World&) {
         c.with_request = false;
         c.crt.spec.dns_names = {"web.example.com"};
       },
       "SecretMismatch",
       "Issuing certificate as Existing issued Secret is not up to date for spec: [spec.dnsNames]",
       "SecretMismatch"},
      {"CurrentCertificateNearingExpiry",
       [](Case& c, const test::World&) { c.now = test::t0 + hours(1440); }, "Renewing",
       "Renewing certificate as renewal was scheduled at 2026-04-30 12:00:00 +0000 UTC", "Ready"},
      {"CurrentCertificateNearingExpiry with renewBefore",
       [](Case& c, const test::World&) {
         c.crt.spec.renew_before = hours(24 * 7);
         c.crt.status.renewal_time.reset();
         c.now = test::t0 + hours(2160 - 24 * 7);
       },
       "Renewing", "Renewing certificate as renewal was scheduled at 2026-05-23 12:00:00 +0000 UTC",
       "Ready"},
      {"expired: renewing, and Ready says Expired",
       [](Case& c, const test::World&) {
         c.now = test::t0 + hours(2160) + std::chrono::seconds(1);
       },
       "Renewing", "Renewing certificate as renewal was scheduled at *", "Expired"},
  };
  for (const Row& row : rows) {
    Case c{world.crt, test::tls_secret(world.crt, world.issued)};
    row.arrange(c, world);
    const CertificateView crt = project_certificate(api::Certificate(c.crt));
    const std::optional<SecretView> secret =
        c.secret ? std::optional(project_secret(api::Secret(*c.secret))) : std::nullopt;
    const RequestView current = world.current();
    const Decision d = reconcile_certificate({crt,
                                              secret ? &*secret : nullptr,
                                              &world.issuer,
                                              c.with_request ? &current : nullptr,
                                              nullptr,
                                              {},
                                              c.now,
                                              {}});
    INFO(row.behaviour);
    CHECK(d.action == Action::Issue);
    CHECK(d.revision == 2);
    const api::Condition* issuing = find(d, "Issuing");
    REQUIRE(issuing);
    CHECK(issuing->status == ConditionStatus::True);
    CHECK(issuing->reason == row.reason);
    check_message(issuing->message, row.message);
    CHECK(issuing->last_transition_time == c.now);
    CHECK(issuing->observed_generation == 1);
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0].type == "Normal");
    CHECK(d.events[0].reason == "Issuing");
    CHECK(d.events[0].message == issuing->message);
    const api::Condition* ready = find(d, "Ready");
    if (std::string(row.ready_reason) == "Ready") {
      CHECK(ready == nullptr);  // unchanged: still Ready while a renewal runs
    } else {
      REQUIRE(ready);
      CHECK(ready->status == ConditionStatus::False);
      CHECK(ready->reason == row.ready_reason);
    }
  }
}

TEST_CASE("Ready says Expired with the certificate's notAfter in RFC 1123") {
  const test::World world;
  api::Certificate crt = world.crt;
  crt.status.conditions[1] = test::condition("Issuing", ConditionStatus::True, "Renewing", "r");
  const CertificateView view = project_certificate(std::move(crt));
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision d = reconcile_certificate(
      {view, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(2161), {}});
  const api::Condition* ready = find(d, "Ready");
  REQUIRE(ready);
  CHECK(ready->reason == "Expired");
  CHECK(ready->message == "Certificate expired on Sat, 30 May 2026 12:00:00 UTC");
  CHECK(ready->last_transition_time == test::t0 + hours(2161));
}

TEST_CASE("a converged Certificate makes no write, no Event, and wakes at its renewal time") {
  const test::World world;
  const CertificateView crt = world.view();
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  for (Time now : {test::t0, test::t0 + hours(1), test::t0 + hours(1439)}) {
    const Decision d =
        reconcile_certificate({crt, &secret, &world.issuer, &current, nullptr, {}, now, {}});
    CHECK(d.action == Action::None);
    CHECK_FALSE(d.status);
    CHECK(d.events.empty());
    CHECK(d.requeue_at == test::t0 + hours(1440));
  }
}

TEST_CASE("a valid Secret without status (a restart over cert-manager's fleet) takes one write") {
  const test::World world;
  api::Certificate bare = world.crt;
  bare.status = {};
  CertificateView crt = project_certificate(std::move(bare));
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision first = reconcile_certificate(
      {crt, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(2), {}});
  CHECK(first.action == Action::None);
  REQUIRE(first.status);
  CHECK(first.status->not_before == test::t0);
  CHECK(first.status->not_after == test::t0 + hours(2160));
  CHECK(first.status->renewal_time == test::t0 + hours(1440));
  REQUIRE(first.status->conditions.size() == 1);
  CHECK(first.status->conditions[0].reason == "Ready");
  CHECK(first.status->conditions[0].message == "Certificate is up to date and has not expired");

  test::apply(crt, *first.status);
  const Decision second = reconcile_certificate(
      {crt, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(3), {}});
  CHECK_FALSE(second.status);
  CHECK(second.action == Action::None);
}

TEST_CASE("a new generation is acknowledged once, keeping lastTransitionTime") {
  const test::World world;
  api::Certificate bumped = world.crt;
  bumped.metadata.generation = 2;
  bumped.spec.secret_template = api::SecretTemplate{{}, {{"team", "web"}}};
  CertificateView crt = project_certificate(std::move(bumped));
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Decision d = reconcile_certificate(
      {crt, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(5), {}});
  REQUIRE(d.status);
  const api::Condition* ready = find(d, "Ready");
  REQUIRE(ready);
  CHECK(ready->observed_generation == 2);
  CHECK(ready->last_transition_time == test::t0);
  test::apply(crt, *d.status);
  CHECK_FALSE(reconcile_certificate(
                  {crt, &secret, &world.issuer, &current, nullptr, {}, test::t0 + hours(6), {}})
                  .status);
}

TEST_CASE("a Certificate being deleted is left alone") {
  test::World world;
  world.crt.metadata.deletion_timestamp = test::t0;
  const CertificateView crt = world.view();
  const Decision d =
      reconcile_certificate({crt, nullptr, &world.issuer, nullptr, nullptr, {}, test::t0, {}});
  CHECK(d.action == Action::None);
  CHECK_FALSE(d.status);
  CHECK(d.events.empty());
}

TEST_CASE("Secret metadata and extra data are repaired without issuing (post-issuance chain)") {
  test::World world;
  world.crt.spec.secret_template = api::SecretTemplate{{{"team", "web"}}, {{"tier", "edge"}}};
  world.crt.spec.additional_output_formats = {{api::OutputFormat::CombinedPEM},
                                              {api::OutputFormat::DER}};
  const api::Secret good = test::tls_secret(world.crt, world.issued);
  struct Row {
    const char* behaviour;
    void (*edit)(api::Secret&);
    std::string why;  // empty: nothing to repair
  };
  const Row rows[] = {
      {"as written", [](api::Secret&) {}, ""},
      {"user labels are the user's", [](api::Secret& s) { s.metadata.labels["extra"] = "mine"; },
       ""},
      {"fao label removed",
       [](api::Secret& s) { s.metadata.labels.erase("controller.cert-manager.io/fao"); },
       "SecretManagedMetadataMismatch: Secret is missing these Managed Labels: "
       "[controller.cert-manager.io/fao]"},
      {"fao label edited",
       [](api::Secret& s) { s.metadata.labels["controller.cert-manager.io/fao"] = "no"; },
       "SecretManagedMetadataMismatch: wrong base label controller.cert-manager.io/fao value "
       "\"no\", expected \"true\""},
      {"template annotation edited", [](api::Secret& s) { s.metadata.annotations["team"] = "api"; },
       "SecretTemplateMismatch: Certificate's SecretTemplate Annotations missing or incorrect "
       "value on Secret"},
      {"template label removed", [](api::Secret& s) { s.metadata.labels.erase("tier"); },
       "SecretTemplateMismatch: Certificate's SecretTemplate Labels missing or incorrect value on "
       "Secret"},
      {"combined PEM removed", [](api::Secret& s) { s.data.erase("tls-combined.pem"); },
       "AdditionalOutputFormatsMismatch: Certificate's AdditionalOutputFormats doesn't match "
       "Secret Data"},
      {"DER key stale", [](api::Secret& s) { s.data["key.der"].data = "old"; },
       "AdditionalOutputFormatsMismatch: Certificate's AdditionalOutputFormats doesn't match "
       "Secret Data"},
  };
  const CertificateView crt = world.view();
  const RequestView current = world.current();
  for (const Row& row : rows) {
    api::Secret secret = good;
    row.edit(secret);
    const SecretView view = project_secret(std::move(secret));
    const Decision d = reconcile_certificate(
        {crt, &view, &world.issuer, &current, nullptr, {}, test::t0 + hours(24), {}});
    INFO(row.behaviour);
    CHECK(d.action == (row.why.empty() ? Action::None : Action::RepairSecret));
    CHECK(d.why == row.why);
    CHECK_FALSE(d.status);
    CHECK(d.events.empty());
  }
}

TEST_CASE("with the owner-ref flag a Secret without the reference is repaired once") {
  test::World world;
  const api::Secret without = test::tls_secret(world.crt, world.issued);
  api::Secret with = without;
  with.metadata.owner_references = {pki::certificate_owner_reference(world.crt)};
  api::Secret other_uid = without;
  api::Certificate previous = world.crt;
  previous.metadata.uid = "9e8d7c6b-5a49-4837-8261-504f3e2d1c0b";
  other_uid.metadata.owner_references = {pki::certificate_owner_reference(previous)};
  const std::string why =
      "SecretOwnerRefMismatch: unexpected Secret Owner Reference value on Secret "
      "--enable-certificate-owner-ref=true";
  struct Row {
    const char* behaviour;
    const api::Secret* secret;
    bool owner_ref;
    std::string why;  // empty: nothing to repair
  };
  const Row rows[] = {
      {"on, no reference", &without, true, why},
      {"on, the reference of a Certificate of the same name deleted before", &other_uid, true, why},
      {"on, the reference there", &with, true, ""},
      // cert-manager removes only a reference its own field manager set;
      // certmill's next apply of the Secret drops its own without this.
      {"off, the reference there", &with, false, ""},
      {"off, no reference", &without, false, ""},
  };
  const CertificateView crt = world.view();
  const RequestView current = world.current();
  for (const Row& row : rows) {
    INFO(row.behaviour);
    const SecretView view = project_secret(api::Secret(*row.secret));
    CertificateState in{crt, &view, &world.issuer, &current, nullptr, {}, test::t0 + hours(24), {}};
    in.owner_ref = row.owner_ref;
    const Decision d = reconcile_certificate(in);
    CHECK(d.action == (row.why.empty() ? Action::None : Action::RepairSecret));
    CHECK(d.why == row.why);
    CHECK_FALSE(d.status);
    CHECK(d.events.empty());
  }
  // The other post-issuance checks come first, as in cert-manager's chain.
  api::Secret no_label = without;
  no_label.metadata.labels.erase("controller.cert-manager.io/fao");
  const SecretView view = project_secret(std::move(no_label));
  CertificateState in{crt, &view, &world.issuer, &current, nullptr, {}, test::t0 + hours(24), {}};
  in.owner_ref = true;
  CHECK(reconcile_certificate(in).why.starts_with("SecretManagedMetadataMismatch: "));
}

TEST_CASE("the CA's suggested renewal time replaces the computed one, earlier or later") {
  const test::World world;
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  for (const Time suggested : {test::t0 + hours(1000), test::t0 + hours(1800)}) {
    CertificateView crt = world.view();
    CertificateState in{crt, &secret, &world.issuer, &current, nullptr, {}, test::t0, {}};
    in.suggested_renewal = suggested;
    // One status write moves status.renewalTime to the CA's time.
    const Decision first = reconcile_certificate(in);
    CHECK(first.action == Action::None);
    REQUIRE(first.status);
    CHECK(first.status->renewal_time == suggested);
    CHECK(first.requeue_at == suggested);
    test::apply(crt, *first.status);
    const Decision again = reconcile_certificate(in);
    CHECK_FALSE(again.status);

    // Renewal starts then, not at the computed time.
    in.now = suggested - std::chrono::seconds(1);
    CHECK(reconcile_certificate(in).action == Action::None);
    in.now = suggested;
    const Decision due = reconcile_certificate(in);
    CHECK(due.action == Action::Issue);
  }
}

TEST_CASE("a suggested renewal within the first hour of a certificate waits for that hour") {
  const test::World world;
  const SecretView secret = world.secret();
  const RequestView current = world.current();
  const Time not_before = secret.cert->not_before;
  CertificateView crt = world.view();
  CertificateState in{crt, &secret, &world.issuer, &current, nullptr, {}, not_before, {}};
  // A window that passed before the certificate was issued: renew at once,
  // says the CA; an hour after notBefore, says certmill.
  in.suggested_renewal = not_before - hours(24);
  const Decision first = reconcile_certificate(in);
  CHECK(first.action == Action::None);
  REQUIRE(first.status);
  CHECK(first.status->renewal_time == not_before + kMinimumAgeBeforeAdvisedRenewal);
  test::apply(crt, *first.status);
  in.now = not_before + kMinimumAgeBeforeAdvisedRenewal - std::chrono::seconds(1);
  CHECK(reconcile_certificate(in).action == Action::None);
  in.now = not_before + kMinimumAgeBeforeAdvisedRenewal;
  CHECK(reconcile_certificate(in).action == Action::Issue);
}
