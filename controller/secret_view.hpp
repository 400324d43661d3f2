// What the Secret cache keeps for a TLS Secret certmill manages: fingerprints
// of tls.crt and tls.key, and the facts about the issued certificate and key
// that the reconciler checks, computed once when the Secret arrives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/certificate_facts.hpp"
#include "controller/compact_fields.hpp"
#include "controller/hashed_key.hpp"
#include "core/api/secret.hpp"
#include "core/time.hpp"

namespace certmill::controller {

// How tls.crt and tls.key read, in cert-manager's order of checks.
enum class KeyPairState : uint8_t {
  Valid,
  NoData,       // the Secret has no data at all
  MissingKey,   // tls.key is empty
  MissingCert,  // tls.crt is empty
  InvalidKey,   // tls.key does not parse
  InvalidCert,  // tls.crt does not parse
  KeyMismatch,  // the key is not the certificate's
};

// What most TLS Secrets leave empty, kept out of line.
struct SecretRareFields {
  std::string parse_error;  // why tls.key or tls.crt does not parse
  // The labels and annotations other than certmill's own, flattened as
  // CertificateView's secret_template is, for the spec.secretTemplate check.
  std::vector<std::pair<std::string, std::string>> metadata;
  bool operator==(const SecretRareFields&) const = default;
};

// Fields are ordered by alignment, so that none pads.
struct SecretView {
  std::string namespace_;
  std::string name;
  std::string resource_version;

  // cert-manager.io/* annotations certmill checks; absent when not set.
  std::optional<std::string> certificate_name;
  std::optional<std::string> issuer_name;
  CompactText issuer_kind;
  CompactText issuer_group;
  CompactText fao_label;  // controller.cert-manager.io/fao

  std::optional<IssuedFacts> cert;  // set when tls.crt parses
  uint64_t crt_digest = 0;          // of tls.crt's bytes
  uint64_t key_digest = 0;          // of tls.key's bytes
  uint64_t public_key_digest = 0;   // of pki::public_key_fingerprint
  // The uid in the Secret's controller reference to a Certificate, when it
  // is the one --enable-certificate-owner-ref sets
  // (pki::certificate_owner_reference: cert-manager.io/v1, controller and
  // blockOwnerDeletion true); empty otherwise.
  HashedKey certificate_owner;
  Boxed<SecretRareFields> rare;
  api::PrivateKeyAlgorithm key_algorithm = api::PrivateKeyAlgorithm::RSA;
  int key_bits = 0;
  KeyPairState state = KeyPairState::NoData;
  // additionalOutputFormats as written: present, and equal to what tls.key
  // and tls.crt make.
  bool combined_pem_matches = false;
  bool der_matches = false;

  bool operator==(const SecretView&) const = default;
};

// Parses the key pair (CPU: about 50 µs for ECDSA, more for RSA): run where
// the informer decodes, never per reconcile.
SecretView project_secret(api::Secret&& secret);

}  // namespace certmill::controller
