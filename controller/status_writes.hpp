// What certmill writes, as plain data: a Certificate's status after a
// decision (conditions set by type, the rest as decided), the
// CertificateRequest for a revision, and that request's status once signed or
// failed, with cert-manager's reasons and messages. No I/O: the runtime sends
// what these build.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "controller/certificate_reconciler.hpp"
#include "core/api/certificate.hpp"
#include "issuers/backend.hpp"

namespace certmill::controller {

// Replaces the condition of the same type, or appends it; the others stay. A
// condition whose status is unchanged keeps its lastTransitionTime.
void set_condition(std::vector<api::Condition>& conditions, api::Condition condition);

// The status a Certificate has once `update` is written.
void apply_status(api::CertificateStatus& status, const StatusUpdate& update);

// "<certificate>-<revision>", shortened to fit a name when the Certificate's
// is long; the same inputs give the same name, so a repeated create is a
// harmless 409 rather than a second request.
std::string request_name(std::string_view certificate, int32_t revision);

// cert-manager's default --copied-annotation-prefixes: every annotation but
// those kubectl, Flux and Argo CD write for themselves.
inline const std::vector<std::string> kDefaultCopiedAnnotationPrefixes = {
    "*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"};

// The annotations that --copied-annotation-prefixes copy, with
// cert-manager's rules (BuildAnnotationsToCopy): the entries apply in
// order; "prefix" adds the annotations that start with it, "-prefix" drops
// those that start with it from what was added so far, and a "*" anywhere
// in the list turns every adding entry into one that adds all.
api::StringMap copied_annotations(const api::StringMap& annotations,
                                  const std::vector<std::string>& prefixes);

// The CertificateRequest for `revision`: owned by the Certificate, annotated
// as cert-manager annotates it (the Certificate's annotations that
// `copied_prefixes` copy, then cert-manager's own), asking what the spec asks.
// The Secret an ACME request's key is kept in while its order runs: the
// request's name with "-key", within the 253 characters a name may have.
std::string request_key_secret_name(std::string_view request);

api::CertificateRequest make_request(
    const api::Certificate& crt, int32_t revision, std::string csr_pem,
    const std::vector<std::string>& copied_prefixes = kDefaultCopiedAnnotationPrefixes);

// cert-manager's approver's words.
inline constexpr const char* kApprovedReason = "cert-manager.io";
inline constexpr const char* kApprovedMessage =
    "Certificate request has been approved by cert-manager.io";

// Approved and Ready=True with the chain, as cert-manager's approver and an
// in-process issuer (SelfSigned, CA) leave a request.
void mark_issued(api::CertificateRequestStatus& status, const issuers::Issued& issued, Time now);
// Approved and Ready=False/Failed with why, and failureTime.
void mark_failed(api::CertificateRequestStatus& status, std::string message, Time now);
// Approved=True by certmill's approver, whatever Approved said before.
void mark_approved(api::CertificateRequestStatus& status, Time now);
// Ready=False/Pending with why the request waits.
void mark_pending(api::CertificateRequestStatus& status, std::string message, Time now);
// Ready=False/Denied, and failureTime unless one is set.
void mark_denied(api::CertificateRequestStatus& status, std::string message, Time now);

// Whether a cached object at resourceVersion `have` already shows a write that
// returned `want`. Versions are compared as numbers, which every API server
// in use issues; anything else counts as caught up only when equal.
bool version_reached(std::string_view have, std::string_view want);

}  // namespace certmill::controller
