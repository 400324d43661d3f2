// What certmill does with a CertificateRequest no Certificate owns (made by
// csi-driver, istio-csr, `cmctl create certificaterequest`, anyone): leave it
// alone, approve it, wait (for approval or for its issuer), mark it Denied,
// fail it, or sign it — in cert-manager's order of checks and with its
// words. Pure: the runtime gathers the facts and carries out the plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/issuer_view.hpp"
#include "controller/request_view.hpp"
#include "core/time.hpp"

namespace certmill::controller {

// The issuer the request names, as the caches know it.
struct RequestIssuer {
  bool found = false;
  IssuerType type = IssuerType::None;
  bool ready = false;  // Ready=True
};

struct RequestFacts {
  const RequestView& request;
  RequestIssuer issuer;
  // certmill's approver is on (no --controllers=-certificaterequests-approver).
  bool approver = true;
};

enum class RequestMove : uint8_t {
  LeaveAlone,  // a Certificate's, another group's, or already decided
  Deny,        // Denied by an approver: Ready=False Denied, never signed
  Wait,        // Ready=False Pending with `message` (approval, the issuer)
  Fail,        // Ready=False Failed: its CSR cannot be read
  Sign,        // sign it now, and write Issued or Failed
};

struct RequestPlan {
  RequestMove move = RequestMove::LeaveAlone;
  // Write Approved=True (certmill's approver) with the move's status.
  bool approve = false;
  // Whether the move changes what the request's status says; a Wait or Deny
  // already written is not written again.
  bool write = false;
  // The Event's reason and the condition's message (Wait, Fail).
  std::string reason;
  std::string message;
  // Look again after this long, for what no watched change announces (an
  // issuer that appears or becomes ready).
  std::optional<Duration> recheck;

  bool operator==(const RequestPlan&) const = default;
};

// cert-manager's words for a denied request.
inline constexpr const char* kDeniedMessage =
    "The CertificateRequest was denied by an approval controller";

// Whether the request is for an issuer of cert-manager's group
// (issuerRef.group empty or cert-manager.io) of a kind it knows.
bool names_cert_manager_issuer(const RequestView& request);

// The issuer types certmill signs anyone's requests for.
bool signs_for_anyone(IssuerType type);

RequestPlan plan_request(const RequestFacts& facts);

}  // namespace certmill::controller
