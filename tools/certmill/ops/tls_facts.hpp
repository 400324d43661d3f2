// What the operator commands may say about a TLS Secret: its certificates in
// full, its private key only by type and size. Nothing here keeps or returns
// any byte of tls.key, so no layout built on it can print one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/secret.hpp"
#include "core/pki/x509.hpp"

namespace certmill::ops {

struct KeyFacts {
  bool present = false;
  std::string description;     // "ECDSA P-256", "RSA 2048", "Ed25519", or why it is unreadable
  std::size_t size_bytes = 0;  // of the encoded tls.key
  std::optional<bool> matches_certificate;  // with tls.crt's leaf, when both parse
};

struct TlsFacts {
  std::string type;                     // "kubernetes.io/tls"; "Opaque" when empty
  std::vector<std::string> data_keys;   // tls.crt, tls.key, ca.crt, ...
  std::vector<pki::Certificate> chain;  // tls.crt, leaf first
  std::string chain_error;              // why tls.crt is missing or does not parse
  std::vector<pki::Certificate> ca;     // ca.crt
  KeyFacts key;
};

TlsFacts read_tls_secret(const api::Secret& secret);

// "ECDSA P-256", "RSA 2048", "Ed25519".
std::string public_key_description(EVP_PKEY* key);
// SHA-256 of the DER, as "AB:CD:..." (what `openssl x509 -fingerprint` prints).
std::string sha256_fingerprint(const pki::Certificate& cert);
// OpenSSL's long name, e.g. "ecdsa-with-SHA256".
std::string signature_algorithm(const pki::Certificate& cert);

}  // namespace certmill::ops
