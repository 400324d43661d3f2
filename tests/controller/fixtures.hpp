// Shared steps of the controller tests: a Certificate as a user writes it, a
// CA that issues it, and the Secret and CertificateRequest cert-manager would
// have written for it, all at fixed instants.
#pragma once

#include <catch2/catch.hpp>

#include "core/api/certificate.hpp"
#include "core/api/secret.hpp"
#include "core/pki/tls_secret.hpp"
#include "tests/pki/pki_fixtures.hpp"

namespace certmill::test {

inline const Time t0 = fixed_now;

inline api::Certificate make_certificate(std::string name = "web") {
  api::Certificate crt;
  crt.metadata.namespace_ = "apps";
  crt.metadata.name = name;
  crt.metadata.uid = "3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10";
  crt.metadata.resource_version = "4711";
  crt.metadata.generation = 1;
  crt.spec.secret_name = name + "-tls";
  crt.spec.issuer_ref = {"ca-issuer", "Issuer", "cert-manager.io"};
  crt.spec.common_name = "web.example.com";
  crt.spec.dns_names = {"web.example.com", "www.example.com"};
  crt.spec.private_key = api::CertificatePrivateKey{};
  crt.spec.private_key->algorithm = api::PrivateKeyAlgorithm::ECDSA;
  return crt;
}

struct Issued {
  std::string key_pem;
  std::string csr_pem;
  pki::PemBundle bundle;
};

// Signs `spec` with `ca` at `now`, as the CA issuer would.
inline Issued issue(const api::CertificateSpec& spec, const TestCa& ca, Time now = t0) {
  const pki::PrivateKey key = make_key(api::PrivateKeyAlgorithm::ECDSA);
  const pki::SigningRequest request = request_for(spec, key, now);
  auto bundle = pki::sign_with_ca(request, ca.pair, {});
  REQUIRE(bundle.ok());
  auto pem = pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(pem.ok());
  return {*pem, request.csr_pem, *bundle};
}

// The Secret cert-manager writes after issuing `crt`.
inline api::Secret tls_secret(const api::Certificate& crt, const Issued& issued) {
  auto secret = pki::build_tls_secret(
      crt, {issued.key_pem, issued.bundle.chain_pem, issued.bundle.ca_pem, std::nullopt});
  REQUIRE(secret.ok());
  return *secret;
}

// The CertificateRequest for `revision` of `crt` whose CSR `issued` answered,
// with the given Ready reason ("Issued" also fills status.certificate).
inline api::CertificateRequest request(const api::Certificate& crt, const Issued& issued,
                                       int revision, std::string ready_reason,
                                       std::string message = {}) {
  api::CertificateRequest cr;
  cr.metadata.namespace_ = crt.metadata.namespace_;
  cr.metadata.name = crt.metadata.name + "-" + std::to_string(revision);
  cr.metadata.annotations = {{"cert-manager.io/certificate-name", crt.metadata.name},
                             {"cert-manager.io/certificate-revision", std::to_string(revision)}};
  cr.metadata.owner_references = {
      {"cert-manager.io/v1", "Certificate", crt.metadata.name, crt.metadata.uid, true, true}};
  cr.spec.request.data = issued.csr_pem;
  cr.spec.issuer_ref = crt.spec.issuer_ref;
  cr.spec.duration = crt.spec.duration;
  cr.spec.is_ca = crt.spec.is_ca;
  cr.spec.usages = crt.spec.usages;
  const auto status =
      ready_reason == "Issued" ? api::ConditionStatus::True : api::ConditionStatus::False;
  cr.status.conditions = {api::Condition{"Ready", status, ready_reason, std::move(message), t0, 1}};
  if (ready_reason == "Issued") {
    cr.status.certificate.data = issued.bundle.chain_pem;
    cr.status.ca.data = issued.bundle.ca_pem;
  }
  return cr;
}

inline api::Condition condition(std::string type, api::ConditionStatus status, std::string reason,
                                std::string message = {}) {
  return api::Condition{std::move(type), status, std::move(reason), std::move(message), t0, 1};
}

}  // namespace certmill::test
