// Reading a TLS Secret for people: the certificates parsed, the private key
// parsed only to name its type and check it against the certificate.
#include "tools/certmill/ops/tls_facts.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

namespace certmill::ops {

std::string public_key_description(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      return "ECDSA P-" + std::to_string(bits);
    case EVP_PKEY_ED25519:
      return "Ed25519";
    case EVP_PKEY_RSA:
      return "RSA " + std::to_string(bits);
    default:
      return std::string(OBJ_nid2sn(EVP_PKEY_get_base_id(key))) + " " + std::to_string(bits);
  }
}

std::string sha256_fingerprint(const pki::Certificate& cert) {
  const std::string der = cert.der();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), digest);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char b : digest) {
    if (!out.empty())
      out += ':';
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string signature_algorithm(const pki::Certificate& cert) {
  return OBJ_nid2ln(X509_get_signature_nid(cert.get()));
}

TlsFacts read_tls_secret(const api::Secret& secret) {
  TlsFacts facts;
  facts.type = secret.type.empty() ? "Opaque" : secret.type;
  for (const auto& [name, bytes] : secret.data)
    facts.data_keys.push_back(name);
  if (auto crt = secret.data.find("tls.crt"); crt == secret.data.end()) {
    facts.chain_error = "the Secret has no tls.crt";
  } else if (auto chain = pki::parse_certificates(crt->second.data, "tls.crt"); !chain) {
    facts.chain_error = chain.error().message();
  } else if (chain->empty()) {
    facts.chain_error = "tls.crt holds no certificate";
  } else {
    facts.chain = std::move(*chain);
  }
  if (auto ca = secret.data.find("ca.crt"); ca != secret.data.end()) {
    if (auto certs = pki::parse_certificates(ca->second.data, "ca.crt"))
      facts.ca = std::move(*certs);
  }
  auto key = secret.data.find("tls.key");
  if (key == secret.data.end())
    return facts;
  facts.key.present = true;
  facts.key.size_bytes = key->second.data.size();
  // The parser's own error text is not passed on: it could quote the input.
  auto parsed = pki::parse_private_key(key->second.data, "tls.key");
  if (!parsed) {
    facts.key.description = "does not parse as a private key";
    return facts;
  }
  facts.key.description = public_key_description(parsed->get());
  if (!facts.chain.empty())
    facts.key.matches_certificate = pki::key_matches_certificate(*parsed, facts.chain.front());
  return facts;
}

}  // namespace certmill::ops
