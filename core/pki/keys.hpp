// Private keys as cert-manager's spec.privateKey describes them: choosing the
// algorithm and size (with cert-manager's defaults), generating, encoding as
// PKCS#1 or PKCS#8 PEM, reading back, and comparing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/api/certificate.hpp"
#include "core/pki/ossl.hpp"
#include "core/result.hpp"

namespace certmill::pki {

// What to generate: the spec with cert-manager's defaults applied (RSA 2048,
// ECDSA P-256, PKCS#1, rotation Never... see key_spec_for).
struct KeySpec {
  api::PrivateKeyAlgorithm algorithm = api::PrivateKeyAlgorithm::RSA;
  int bits = 2048;  // RSA modulus or EC curve size; 256 for Ed25519
  api::PrivateKeyEncoding encoding = api::PrivateKeyEncoding::PKCS1;
  api::RotationPolicy rotation = api::RotationPolicy::Always;
  bool operator==(const KeySpec&) const = default;
};

// Applies defaults and rejects sizes cert-manager rejects: RSA 2048..8192
// (default 2048), ECDSA 256/384/521 (default 256). Rotation defaults to Always,
// cert-manager's default since v1.18.
Result<KeySpec> key_spec_for(const std::optional<api::CertificatePrivateKey>& spec);

class PrivateKey {
 public:
  explicit PrivateKey(PkeyPtr key) : key_(std::move(key)) {}
  EVP_PKEY* get() const noexcept { return key_.get(); }
  api::PrivateKeyAlgorithm algorithm() const;
  int bits() const;  // modulus or curve size
 private:
  PkeyPtr key_;
};

// CPU-heavy for RSA (about 0.2 s for 2048 bits): run it on a worker pool.
Result<PrivateKey> generate_private_key(const KeySpec& spec);

// PKCS#1 is "RSA PRIVATE KEY" for RSA and SEC 1 "EC PRIVATE KEY" for ECDSA, as
// cert-manager writes them; Ed25519 has no PKCS#1 form and is always PKCS#8.
Result<std::string> encode_private_key(const PrivateKey& key, api::PrivateKeyEncoding encoding);

// Reads the first key block of `pem` (PKCS#1, SEC 1 or PKCS#8); `what` names the
// input in errors, which never quote the key.
Result<PrivateKey> parse_private_key(std::string_view pem, std::string_view what);

bool public_keys_equal(EVP_PKEY* a, EVP_PKEY* b);

// Whether an existing key still satisfies the spec (algorithm and size), the
// check that decides whether rotationPolicy Never may keep it.
bool key_matches_spec(const PrivateKey& key, const KeySpec& spec);

// The digest Go's crypto/x509 pairs with a signing key: SHA-256/384/512 by RSA
// modulus (<3072, <4096, larger) or EC curve; nullptr for Ed25519, which
// signs without a separate digest.
const EVP_MD* signature_digest(EVP_PKEY* key);

// The digest for spec.signatureAlgorithm (SHA256WithRSA ... ECDSAWithSHA512,
// PureEd25519) with `key`; empty picks signature_digest. A name that is
// unknown or does not fit the key's type is an error naming both.
Result<const EVP_MD*> requested_signature_digest(std::string_view algorithm, EVP_PKEY* key);

// The DER of a public key (SubjectPublicKeyInfo).
std::string public_key_der(EVP_PKEY* key);

// Bytes that two public keys share exactly when they are the same key (the
// type's name and its encoded public key), for hashing in memory. A tenth of
// the cost of public_key_der under OpenSSL 3.0, whose encoders are slow.
std::string public_key_fingerprint(EVP_PKEY* key);

}  // namespace certmill::pki
