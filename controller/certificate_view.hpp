// What the Certificate cache keeps per object: the fields the reconciler reads,
// fingerprints of the rest of the spec, and the status it may rewrite.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/compact_fields.hpp"
#include "controller/condition_view.hpp"
#include "controller/hashed_key.hpp"
#include "controller/renewal_schedule.hpp"
#include "controller/spec_digest.hpp"
#include "core/api/certificate.hpp"
#include "core/pki/keys.hpp"

namespace certmill::controller {

// An issuerRef as the caches keep it: the kind and group are nearly always
// cert-manager's own, so they are shared constants rather than strings.
struct IssuerRefView {
  std::string name;
  CompactText kind;   // "Issuer" when empty
  CompactText group;  // "cert-manager.io" when empty

  IssuerRefView() = default;
  IssuerRefView(api::IssuerRef ref) : name(std::move(ref.name)), kind(ref.kind), group(ref.group) {}
  api::IssuerRef full() const { return {name, kind.str(), group.str()}; }
  bool operator==(const IssuerRefView&) const = default;
};

// What most Certificates leave empty, kept out of line.
struct CertificateRareFields {
  std::string key_error;
  // The webhook's rules the spec breaks, as one message (certificate_validation).
  std::string spec_error;
  // spec.secretTemplate flattened as ("label:<key>", value) and
  // ("annotation:<key>", value), sorted.
  std::vector<std::pair<std::string, std::string>> secret_template;
  std::string next_private_key_secret_name;  // status
  // spec.renewal.windows, compiled and shared (renewal_schedule).
  std::shared_ptr<const RenewalWindows> renewal_windows;
  bool operator==(const CertificateRareFields&) const = default;
};

// Fields are ordered by alignment, so that none pads.
struct CertificateView {
  std::string namespace_;
  std::string name;
  std::string resource_version;
  std::string secret_name;
  IssuerRefView issuer_ref;
  HashedKey uid;
  // The uid of the controller owner (an Ingress or Gateway for shim-made
  // Certificates); empty when there is none.
  HashedKey owner_uid;
  SpecDigests want;  // what the issued certificate must say
  ConditionView ready;
  ConditionView issuing;
  int64_t generation = 0;
  uint64_t spec_hash = 0;  // any change of spec changes it
  PackedOptional<Duration> duration;
  PackedOptional<Duration> renew_before;
  PackedOptional<Time> not_before;
  PackedOptional<Time> not_after;
  PackedOptional<Time> renewal_time;
  PackedOptional<Time> last_failure_time;
  Boxed<CertificateRareFields> rare;
  // spec.privateKey with cert-manager's defaults; nullopt when the spec asks
  // for a key cert-manager rejects (rare.key_error says why).
  std::optional<pki::KeySpec> key;
  std::optional<int32_t> renew_before_percentage;
  std::optional<int32_t> revision_history_limit;
  std::optional<int32_t> revision;
  std::optional<int32_t> failed_issuance_attempts;
  bool deleting = false;
  bool wants_combined_pem = false;  // additionalOutputFormats CombinedPEM
  bool wants_der = false;           // additionalOutputFormats DER
  bool renewal_disabled = false;    // spec.renewal.policy Disabled

  bool operator==(const CertificateView&) const = default;
};

CertificateView project_certificate(api::Certificate&& crt);

// The spec fingerprint alone, for comparing a desired Certificate (from a
// shim) with the cached one.
uint64_t certificate_spec_hash(const api::CertificateSpec& spec);

// "Issuer" and "cert-manager.io" when the reference leaves them empty.
api::IssuerRef with_defaults(api::IssuerRef ref);
api::IssuerRef with_defaults(const IssuerRefView& ref);

}  // namespace certmill::controller
