// The Certificate reconciler as one pure function of cached state: given the
// Certificate, its Secret, its issuer, its requests and the time, decide what
// to do next (nothing, request a certificate, store an issued one), when to
// look again, which Events to record, and the status to write — only when it
// differs from what the Certificate already says, so that a converged fleet
// makes no writes at all. It merges cert-manager's trigger, readiness,
// issuing and key/request-manager controllers into one decision.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/certificate_view.hpp"
#include "controller/issuance_backoff.hpp"
#include "controller/issuer_view.hpp"
#include "controller/request_view.hpp"
#include "controller/secret_view.hpp"

namespace certmill::controller {

struct CertificateState {
  const CertificateView& certificate;
  const SecretView* secret = nullptr;  // spec.secretName, when it exists
  // The Issuer (same namespace) or ClusterIssuer that issuerRef names.
  const IssuerView* issuer = nullptr;
  // The requests the Certificate controls for status.revision (current) and
  // status.revision + 1 (next, the one in flight).
  const RequestView* current_request = nullptr;
  const RequestView* next_request = nullptr;
  // Other Certificates of the namespace with the same spec.secretName.
  std::vector<std::string> duplicates;
  Time now;
  IssuanceBackoff backoff;
  // When the CA has ACME Renewal Information for the Secret's certificate:
  // the time chosen in its suggested window, instead of the computed one.
  std::optional<Time> suggested_renewal = std::nullopt;
  // --enable-certificate-owner-ref: the Secret must carry the Certificate's
  // controller reference.
  bool owner_ref = false;
};

enum class Action {
  None,
  // Create the CertificateRequest for `revision` (replacing a stale or
  // outdated one for that revision), with a key per spec.privateKey.
  Issue,
  // Write the Secret from the Issued request for `revision`.
  StoreIssued,
  // Rewrite the Secret's metadata and extra data around its current key
  // pair (labels, secretTemplate, additionalOutputFormats); `why` says what
  // is off. No new certificate.
  RepairSecret,
};

struct EventNote {
  std::string type;  // Normal or Warning
  std::string reason;
  std::string message;
  bool operator==(const EventNote&) const = default;
};

// The fields certmill owns in status. `conditions` holds only those that
// change, to be set by type; the others stay as they are.
struct StatusUpdate {
  std::vector<api::Condition> conditions;
  std::optional<Time> not_before;
  std::optional<Time> not_after;
  std::optional<Time> renewal_time;
  std::optional<int32_t> revision;
  std::optional<int32_t> failed_issuance_attempts;
  std::optional<Time> last_failure_time;
  std::string next_private_key_secret_name;
  bool operator==(const StatusUpdate&) const = default;
};

struct Decision {
  Action action = Action::None;
  int32_t revision = 0;  // of Issue and StoreIssued
  std::string why;       // RepairSecret: "reason: message", for the log
  std::optional<StatusUpdate> status;
  std::vector<EventNote> events;
  // Reconcile again at this time even if nothing changes (renewal, expiry,
  // end of a backoff); nullopt: only a change to the inputs matters.
  std::optional<Time> requeue_at;
};

Decision reconcile_certificate(const CertificateState& in);

}  // namespace certmill::controller
