// cert-manager's policy chains for a Certificate, on cached views: the
// readiness chain (is the Secret good enough to call the Certificate Ready?)
// and the trigger chain (must a new certificate be issued?). The first check
// that fails gives the reason and message, word for word as cert-manager
// writes them (internal/controller/certificates/policies).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "controller/certificate_view.hpp"
#include "controller/request_view.hpp"
#include "controller/secret_view.hpp"

namespace certmill::controller {

struct Verdict {
  std::string reason;
  std::string message;
  bool operator==(const Verdict&) const = default;
};

struct CheckInput {
  const CertificateView& certificate;
  const SecretView* secret = nullptr;
  // The request that produced the current revision, when it still exists.
  const RequestView* current_request = nullptr;
  Time now;
  // The CA's choice of renewal time for the Secret's certificate (ACME
  // Renewal Information), which replaces the computed one.
  std::optional<Time> suggested_renewal = std::nullopt;
};

// DoesNotExist, MissingData, InvalidKeyPair, InvalidCertificate,
// RequestChanged / SecretMismatch, Expired.
std::optional<Verdict> readiness_violation(const CheckInput& in);

// DoesNotExist, MissingData, InvalidKeyPair, InvalidCertificate,
// SecretMismatch (key), IncorrectIssuer, IncorrectCertificate,
// SecretMismatch (request key), RequestChanged / SecretMismatch, Renewing.
std::optional<Verdict> trigger_violation(const CheckInput& in);

// After issuance: is the Secret's metadata and extra data what certmill
// writes? SecretManagedMetadataMismatch (the fao label),
// SecretTemplateMismatch, AdditionalOutputFormatsMismatch, and with
// `owner_ref` (--enable-certificate-owner-ref) SecretOwnerRefMismatch when
// the Secret lacks the Certificate's controller reference. A violation is
// repaired by rewriting the Secret, never by issuing again. Call only for a
// Secret whose key pair is valid.
//
// With the flag off, cert-manager also rewrites a Secret whose reference its
// own field manager set (read from managedFields, which the cache does not
// keep); certmill's apply drops its reference on the Secret's next write
// instead, and a reference someone else set is never fought over.
std::optional<Verdict> secret_data_violation(const CertificateView& crt, const SecretView& secret,
                                             bool owner_ref = false);

// The youngest a certificate can be when the CA's advice renews it.
inline constexpr auto kMinimumAgeBeforeAdvisedRenewal = std::chrono::hours(1);

// The Event reason when no renewal window opens before notAfter, as
// cert-manager's condition reason.
inline constexpr std::string_view kWindowError = "WindowError";

struct ScheduledRenewal {
  Time at;
  // spec.renewal.windows has no window opening between the desired time and
  // notAfter: `at` is the desired time, rather than letting the certificate
  // expire.
  bool no_window = false;
  bool operator==(const ScheduledRenewal&) const = default;
};

// When the Secret's certificate is due for renewal. The desired time is the
// CA's suggestion (never within kMinimumAgeBeforeAdvisedRenewal of its
// notBefore), else under the spec's renewBefore / renewBeforePercentage;
// spec.renewal.windows then moves it to the first open window. nullopt
// without a readable certificate, or when spec.renewal.policy is Disabled.
std::optional<ScheduledRenewal> secret_renewal(const CertificateView& crt, const SecretView* secret,
                                               std::optional<Time> suggested = std::nullopt);

// secret_renewal's time alone.
std::optional<Time> secret_renewal_time(const CertificateView& crt, const SecretView* secret,
                                        std::optional<Time> suggested = std::nullopt);

}  // namespace certmill::controller
