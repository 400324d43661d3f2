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
  pki::PemBundle bundle;
};

// Signs `spec` with `ca` at `now`, as the CA issuer would.
inline Issued issue(const api::CertificateSpec& spec, const TestCa& ca, Time now = t0) {
  const pki::PrivateKey key = make_key(api::PrivateKeyAlgorithm::ECDSA);
  auto bundle = pki::sign_with_ca(request_for(spec, key, now), ca.pair, {});
  REQUIRE(bundle.ok());
  auto pem = pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(pem.ok());
  return {*pem, *bundle};
}

// The Secret cert-manager writes after issuing `crt`.
inline api::Secret tls_secret(const api::Certificate& crt, const Issued& issued) {
  auto secret = pki::build_tls_secret(
      crt, {issued.key_pem, issued.bundle.chain_pem, issued.bundle.ca_pem, std::nullopt});
  REQUIRE(secret.ok());
  return *secret;
}

inline api::Condition condition(std::string type, api::ConditionStatus status, std::string reason,
                                std::string message = {}) {
  return api::Condition{std::move(type), status, std::move(reason), std::move(message), t0, 1};
}

}  // namespace certmill::test
