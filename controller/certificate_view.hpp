// What the Certificate cache keeps per object: the fields the reconciler reads,
// fingerprints of the rest of the spec, and the status it may rewrite.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/boxed.hpp"
#include "controller/condition_view.hpp"
#include "controller/spec_digest.hpp"
#include "core/api/certificate.hpp"
#include "core/pki/keys.hpp"

namespace certmill::controller {

// What most Certificates leave empty, kept out of line.
struct CertificateRareFields {
  std::string key_error;
  // spec.secretTemplate flattened as ("label:<key>", value) and
  // ("annotation:<key>", value), sorted.
  std::vector<std::pair<std::string, std::string>> secret_template;
  std::string next_private_key_secret_name;  // status
  bool operator==(const CertificateRareFields&) const = default;
};

struct CertificateView {
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  bool deleting = false;
  // The uid of the controller owner (an Ingress or Gateway for shim-made
  // Certificates); empty when there is none.
  std::string owner_uid;

  std::string secret_name;
  api::IssuerRef issuer_ref;
  uint64_t spec_hash = 0;  // any change of spec changes it
  SpecDigests want;        // what the issued certificate must say
  // spec.privateKey with cert-manager's defaults; nullopt when the spec asks
  // for a key cert-manager rejects (rare.key_error says why).
  std::optional<pki::KeySpec> key;
  std::optional<Duration> duration;
  bool wants_combined_pem = false;  // additionalOutputFormats CombinedPEM
  bool wants_der = false;           // additionalOutputFormats DER
  std::optional<Duration> renew_before;
  std::optional<int32_t> renew_before_percentage;
  std::optional<int32_t> revision_history_limit;

  ConditionView ready;
  ConditionView issuing;
  std::optional<Time> not_before;
  std::optional<Time> not_after;
  std::optional<Time> renewal_time;
  std::optional<int32_t> revision;
  std::optional<int32_t> failed_issuance_attempts;
  std::optional<Time> last_failure_time;
  Boxed<CertificateRareFields> rare;

  bool operator==(const CertificateView&) const = default;
};

CertificateView project_certificate(api::Certificate&& crt);

// The spec fingerprint alone, for comparing a desired Certificate (from a
// shim) with the cached one.
uint64_t certificate_spec_hash(const api::CertificateSpec& spec);

// "Issuer" and "cert-manager.io" when the reference leaves them empty.
api::IssuerRef with_defaults(api::IssuerRef ref);

}  // namespace certmill::controller
