// Shared steps of the PKI tests: keys, specs, and a CA made by the documented
// bootstrap (a SelfSigned issuer signs an isCA root; the root backs a CA).
#pragma once

#include <catch2/catch.hpp>

#include "core/pki/ca_keypair.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/sign.hpp"

namespace certmill::test {

inline const Time fixed_now =
    std::chrono::sys_days(std::chrono::year(2026) / 3 / 1) + std::chrono::hours(12);

inline pki::PrivateKey make_key(api::PrivateKeyAlgorithm algorithm, int bits = 0) {
  api::CertificatePrivateKey k;
  k.algorithm = algorithm;
  k.size = bits;
  auto spec = pki::key_spec_for(k);
  REQUIRE(spec.ok());
  auto key = pki::generate_private_key(*spec);
  REQUIRE(key.ok());
  return std::move(*key);
}

inline api::CertificateSpec leaf_spec() {
  api::CertificateSpec s;
  s.secret_name = "web-tls";
  s.issuer_ref = {"ca-issuer", "Issuer", "cert-manager.io"};
  s.common_name = "web.example.com";
  s.dns_names = {"web.example.com", "www.example.com"};
  s.ip_addresses = {"10.0.0.7", "2001:db8::1"};
  s.uris = {"spiffe://cluster.local/ns/web/sa/web"};
  s.email_addresses = {"ops@example.com"};
  s.usages = {api::KeyUsage::DigitalSignature, api::KeyUsage::KeyEncipherment,
              api::KeyUsage::ServerAuth, api::KeyUsage::ClientAuth};
  return s;
}

inline pki::SigningRequest request_for(const api::CertificateSpec& spec, const pki::PrivateKey& key,
                                       Time now = fixed_now) {
  auto csr = pki::build_csr(spec, key);
  REQUIRE(csr.ok());
  return pki::SigningRequest{*csr, spec.duration, spec.is_ca, spec.usages, now};
}

struct TestCa {
  pki::CaKeyPair pair;
  std::string tls_crt;
  std::string tls_key;
};

// The bootstrap: SelfSigned signs an isCA root, whose Secret backs a CA issuer.
inline TestCa make_root_ca(api::PrivateKeyAlgorithm algorithm = api::PrivateKeyAlgorithm::ECDSA,
                           Duration lifetime = std::chrono::hours(24 * 365), Time now = fixed_now) {
  pki::PrivateKey key = make_key(algorithm);
  api::CertificateSpec root;
  root.common_name = "certmill test root";
  root.subject = api::X509Subject{};
  root.subject->organizations = {"certmill"};
  root.is_ca = true;
  root.duration = lifetime;
  auto issued = pki::sign_self_signed(request_for(root, key, now), key, {});
  REQUIRE(issued.ok());
  auto key_pem = pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(key_pem.ok());
  auto pair = pki::load_ca_key_pair(issued->chain_pem, *key_pem, now, "ns/root-ca");
  REQUIRE(pair.ok());
  return {std::move(*pair), issued->chain_pem, *key_pem};
}

}  // namespace certmill::test
