// The compact cache views: what each keeps, how small it is, and that its
// fingerprints judge a Secret the way core/pki/match.hpp does.
#include <catch2/catch.hpp>

#include "controller/certificate_view.hpp"
#include "controller/issuer_view.hpp"
#include "controller/request_view.hpp"
#include "controller/secret_view.hpp"
#include "core/pki/match.hpp"
#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;
using api::ConditionStatus;

namespace {

std::size_t heap_bytes(const std::string& s) {
  // libstdc++ keeps up to 15 characters inside the object.
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

std::size_t heap_bytes(const CertificateView& v) {
  std::size_t n = 0;
  for (const std::string* s :
       {&v.namespace_, &v.name, &v.resource_version, &v.secret_name, &v.issuer_ref.name})
    n += heap_bytes(*s);
  for (const CompactText* t :
       {&v.issuer_ref.kind, &v.issuer_ref.group, &v.ready.reason, &v.issuing.reason}) {
    if (t->out_of_line())
      n += sizeof(std::string) + heap_bytes(t->str());
  }
  // Out of line, and absent for most Certificates.
  return n + (v.rare.get() == CertificateRareFields{} ? 0 : sizeof(CertificateRareFields));
}

}  // namespace

TEST_CASE("a CertificateView keeps what the reconciler reads, far under 1 KiB") {
  api::Certificate crt = test::make_certificate();
  crt.metadata.owner_references = {{"networking.k8s.io/v1", "Ingress", "web",
                                    "9b2e4c1a-0f3d-4e5b-8a7c-6d1e2f3a4b5c", true, true}};
  crt.spec.renew_before = std::chrono::hours(240);
  crt.status.conditions = {test::condition("Ready", ConditionStatus::True, "Ready",
                                           "Certificate is up to date and has not expired")};
  crt.status.not_after = test::t0 + std::chrono::hours(2160);
  crt.status.revision = 3;
  const CertificateView v = project_certificate(api::Certificate(crt));
  CHECK(v.namespace_ == "apps");
  CHECK(v.name == "web");
  CHECK(v.uid == uid_key(crt.metadata.uid));
  CHECK(v.resource_version == "4711");
  CHECK(v.generation == 1);
  CHECK(v.owner_uid == uid_key("9b2e4c1a-0f3d-4e5b-8a7c-6d1e2f3a4b5c"));
  CHECK(v.secret_name == "web-tls");
  CHECK(v.issuer_ref.name == "ca-issuer");
  CHECK(v.renew_before == std::chrono::hours(240));
  REQUIRE(v.key);
  CHECK(v.key->algorithm == api::PrivateKeyAlgorithm::ECDSA);
  CHECK(v.key->bits == 256);
  CHECK(v.ready.present);
  CHECK(v.ready.status == ConditionStatus::True);
  CHECK(v.ready.reason == "Ready");
  CHECK_FALSE(v.issuing.present);
  CHECK(v.not_after == crt.status.not_after);
  CHECK(v.revision == 3);

  INFO("sizeof " << sizeof(CertificateView) << ", heap " << heap_bytes(v));
  CHECK(sizeof(CertificateView) < 720);
  CHECK(sizeof(CertificateView) + heap_bytes(v) < 800);
}

TEST_CASE("the spec hash follows every spec field and ignores status") {
  const api::Certificate crt = test::make_certificate();
  const uint64_t base = certificate_spec_hash(crt.spec);
  api::Certificate changed = crt;
  changed.spec.secret_template = api::SecretTemplate{{}, {{"team", "web"}}};
  CHECK(certificate_spec_hash(changed.spec) != base);
  changed = crt;
  changed.spec.revision_history_limit = 2;
  CHECK(certificate_spec_hash(changed.spec) != base);
  changed = crt;
  changed.status.revision = 9;
  changed.metadata.resource_version = "9999";
  CHECK(project_certificate(api::Certificate(changed)).spec_hash == base);
}

TEST_CASE("a spec asking for a key cert-manager rejects keeps the reason") {
  api::Certificate crt = test::make_certificate();
  crt.spec.private_key->size = 1000;
  const CertificateView v = project_certificate(std::move(crt));
  CHECK_FALSE(v.key);
  CHECK_FALSE(v.rare.get().key_error.empty());
}

TEST_CASE("a SecretView of a freshly issued Secret is valid and matches its spec") {
  const test::TestCa ca = test::make_root_ca();
  const api::Certificate crt = test::make_certificate();
  const test::Issued issued = test::issue(crt.spec, ca);
  const SecretView s = project_secret(test::tls_secret(crt, issued));
  CHECK(s.namespace_ == "apps");
  CHECK(s.name == "web-tls");
  CHECK(s.state == KeyPairState::Valid);
  CHECK(s.rare.get().parse_error.empty());
  REQUIRE(s.cert);
  CHECK(s.cert->not_before == test::t0);
  CHECK(s.cert->not_after == test::t0 + std::chrono::hours(2160));
  CHECK(spec_mismatches(spec_digests(crt.spec), s.cert->have).empty());
  CHECK(s.key_algorithm == api::PrivateKeyAlgorithm::ECDSA);
  CHECK(s.key_bits == 256);
  CHECK(s.certificate_name == "web");
  CHECK(s.issuer_name == "ca-issuer");
  CHECK(s.issuer_kind == "Issuer");
  CHECK(s.issuer_group == "cert-manager.io");
  CHECK(s.fao_label == "true");
  CHECK(s.crt_digest != 0);
  CHECK(s.key_digest != 0);
}

TEST_CASE("a SecretView keeps the uid of the Certificate controller reference certmill sets") {
  const test::TestCa ca = test::make_root_ca();
  const api::Certificate crt = test::make_certificate();
  const test::Issued issued = test::issue(crt.spec, ca);
  const api::Secret plain = test::tls_secret(crt, issued);
  CHECK(project_secret(api::Secret(plain)).certificate_owner.empty());
  const api::OwnerReference ref = pki::certificate_owner_reference(crt);
  struct Row {
    const char* behaviour;
    void (*edit)(api::OwnerReference&);
    bool kept;
  };
  const Row rows[] = {
      {"cert-manager's controller reference", [](api::OwnerReference&) {}, true},
      {"another name, same uid", [](api::OwnerReference& r) { r.name = "renamed"; }, true},
      {"not the controller", [](api::OwnerReference& r) { r.controller = false; }, false},
      {"controller unset", [](api::OwnerReference& r) { r.controller.reset(); }, false},
      {"deletion not blocked", [](api::OwnerReference& r) { r.block_owner_deletion = false; },
       false},
      {"blockOwnerDeletion unset", [](api::OwnerReference& r) { r.block_owner_deletion.reset(); },
       false},
      {"another kind", [](api::OwnerReference& r) { r.kind = "Ingress"; }, false},
      {"another version",
       [](api::OwnerReference& r) { r.api_version = "cert-manager.io/v1alpha2"; }, false},
  };
  for (const Row& row : rows) {
    INFO(row.behaviour);
    api::Secret secret = plain;
    api::OwnerReference edited = ref;
    row.edit(edited);
    // Other owners alongside change nothing.
    secret.metadata.owner_references = {
        {"apps/v1", "Deployment", "web", "0b7a2c1d-0000-4000-8000-000000000001", false, false},
        edited};
    const SecretView v = project_secret(std::move(secret));
    CHECK(v.certificate_owner == (row.kept ? uid_key(crt.metadata.uid) : HashedKey{}));
  }
}

TEST_CASE("spec fingerprints name the same changed fields as pki::certificate_mismatches") {
  const test::TestCa ca = test::make_root_ca();
  api::CertificateSpec spec = test::leaf_spec();
  spec.private_key = api::CertificatePrivateKey{};
  spec.private_key->algorithm = api::PrivateKeyAlgorithm::ECDSA;
  const test::Issued issued = test::issue(spec, ca);
  auto leaf = pki::parse_certificate(issued.bundle.chain_pem, "leaf");
  REQUIRE(leaf.ok());
  const SpecDigests have = certificate_digests(leaf->info());

  using Change = void (*)(api::CertificateSpec&);
  const Change changes[] = {
      [](api::CertificateSpec&) {},
      [](api::CertificateSpec& s) { s.common_name = "other"; },
      [](api::CertificateSpec& s) { s.dns_names.push_back("new.example"); },
      [](api::CertificateSpec& s) { s.ip_addresses = {"10.0.0.8"}; },
      [](api::CertificateSpec& s) { s.uris.clear(); },
      [](api::CertificateSpec& s) { s.email_addresses = {"a@b.c"}; },
      [](api::CertificateSpec& s) {
        s.subject = api::X509Subject{{"Org"}, {}, {}, {}, {}, {}, {}, {}};
      },
      [](api::CertificateSpec& s) { s.is_ca = true; },
      [](api::CertificateSpec& s) { s.usages = {}; },
      [](api::CertificateSpec& s) {
        std::reverse(s.dns_names.begin(), s.dns_names.end());
        s.ip_addresses = {"2001:DB8:0:0:0:0:0:1", "10.0.0.7"};
      },
      [](api::CertificateSpec& s) { s.literal_subject = "CN=web.example.com"; },
  };
  for (const Change change : changes) {
    api::CertificateSpec changed = spec;
    change(changed);
    const auto oracle = pki::certificate_mismatches(changed, leaf->info());
    INFO("oracle: " << oracle.size() << " fields");
    CHECK(spec_mismatches(spec_digests(changed), have) == oracle);
  }
}

TEST_CASE("a SecretView says which of cert-manager's key pair checks fails") {
  const test::TestCa ca = test::make_root_ca();
  const api::Certificate crt = test::make_certificate();
  const test::Issued issued = test::issue(crt.spec, ca);
  const test::Issued other = test::issue(crt.spec, ca);
  const api::Secret good = test::tls_secret(crt, issued);

  struct Row {
    const char* what;
    void (*edit)(api::Secret&, const test::Issued&);
    KeyPairState state;
  };
  const Row rows[] = {
      {"no data", [](api::Secret& s, const test::Issued&) { s.data.clear(); },
       KeyPairState::NoData},
      {"no key", [](api::Secret& s, const test::Issued&) { s.data.erase("tls.key"); },
       KeyPairState::MissingKey},
      {"no certificate",
       [](api::Secret& s, const test::Issued&) { s.data["tls.crt"].data.clear(); },
       KeyPairState::MissingCert},
      {"garbage key",
       [](api::Secret& s, const test::Issued&) { s.data["tls.key"].data = "not a key"; },
       KeyPairState::InvalidKey},
      {"garbage certificate",
       [](api::Secret& s, const test::Issued&) { s.data["tls.crt"].data = "not a cert"; },
       KeyPairState::InvalidCert},
      {"someone else's key",
       [](api::Secret& s, const test::Issued& o) { s.data["tls.key"].data = o.key_pem; },
       KeyPairState::KeyMismatch},
  };
  for (const Row& row : rows) {
    api::Secret secret = good;
    row.edit(secret, other);
    const SecretView v = project_secret(std::move(secret));
    INFO(row.what);
    CHECK(v.state == row.state);
    const bool parse_failure =
        row.state == KeyPairState::InvalidKey || row.state == KeyPairState::InvalidCert;
    CHECK(v.rare.get().parse_error.empty() == !parse_failure);
  }
}

TEST_CASE("IssuerViews tell the issuer's kind, CA Secret and readiness") {
  api::Issuer ca;
  ca.metadata.namespace_ = "apps";
  ca.metadata.name = "ca-issuer";
  ca.spec.ca = api::CAIssuer{"root-ca", {}, {}, {}};
  ca.status.conditions = {
      test::condition("Ready", ConditionStatus::True, "KeyPairVerified", "Signing CA verified")};
  const IssuerView v = project_issuer(std::move(ca));
  CHECK_FALSE(v.cluster);
  CHECK(v.namespace_ == "apps");
  CHECK(v.type == IssuerType::CA);
  CHECK(v.ca_secret_name == "root-ca");
  CHECK(v.ready.status == ConditionStatus::True);

  api::ClusterIssuer self;
  self.metadata.name = "bootstrap";
  self.spec.self_signed = api::SelfSignedIssuer{};
  const IssuerView c = project_cluster_issuer(std::move(self));
  CHECK(c.cluster);
  CHECK(c.type == IssuerType::SelfSigned);
  CHECK_FALSE(c.ready.present);
}

TEST_CASE("a RequestView reads revision, state and what the CSR asks for") {
  const api::Certificate crt = test::make_certificate();
  const pki::PrivateKey key = test::make_key(api::PrivateKeyAlgorithm::ECDSA);
  auto csr = pki::build_csr(crt.spec, key);
  REQUIRE(csr.ok());
  api::CertificateRequest cr;
  cr.metadata.namespace_ = "apps";
  cr.metadata.name = "web-1";
  cr.metadata.annotations = {{"cert-manager.io/certificate-revision", "2"}};
  cr.metadata.owner_references = {
      {"cert-manager.io/v1", "Certificate", "web", crt.metadata.uid, true, true}};
  cr.spec.request.data = *csr;
  cr.spec.issuer_ref = crt.spec.issuer_ref;

  struct Row {
    std::vector<api::Condition> conditions;
    RequestState state;
  };
  const Row rows[] = {
      {{}, RequestState::Pending},
      {{test::condition("Ready", ConditionStatus::False, "Pending", "waiting")},
       RequestState::Pending},
      {{test::condition("Ready", ConditionStatus::True, "Issued", "ok")}, RequestState::Issued},
      {{test::condition("Ready", ConditionStatus::False, "Failed", "CA expired")},
       RequestState::Failed},
      // Denied wins over an Issued from a non-compliant issuer, as in cert-manager.
      {{test::condition("Ready", ConditionStatus::True, "Issued", "ok"),
        test::condition("Denied", ConditionStatus::True, "Denied", "policy")},
       RequestState::Denied},
      {{test::condition("InvalidRequest", ConditionStatus::True, "BadCSR", "no")},
       RequestState::InvalidRequest},
  };
  for (const Row& row : rows) {
    api::CertificateRequest copy = cr;
    copy.status.conditions = row.conditions;
    const RequestView v = project_request(std::move(copy));
    CHECK(v.state == row.state);
  }
  // Approved only by Approved=True, whatever else the request says.
  for (const auto& [conditions, approved] :
       std::vector<std::pair<std::vector<api::Condition>, bool>>{
           {{}, false},
           {{test::condition("Approved", ConditionStatus::False, "Policy", "no")}, false},
           {{test::condition("Approved", ConditionStatus::True, "policy", "ok")}, true},
           {{test::condition("Ready", ConditionStatus::False, "Pending", "waiting"),
             test::condition("Approved", ConditionStatus::True, "policy", "ok")},
            true},
       }) {
    api::CertificateRequest copy = cr;
    copy.status.conditions = conditions;
    CHECK(project_request(std::move(copy)).approved == approved);
  }
  const RequestView v = project_request(api::CertificateRequest(cr));
  CHECK(v.revision == 2);
  CHECK(v.owner_uid == uid_key(crt.metadata.uid));
  REQUIRE(v.asks);
  CHECK(spec_mismatches(spec_digests(crt.spec), *v.asks).empty());
  CHECK(v.public_key_digest != 0);

  cr.spec.request.data = "garbage";
  const RequestView bad = project_request(std::move(cr));
  CHECK_FALSE(bad.asks);
  CHECK_FALSE(bad.csr_error.get().empty());
}
