// cert-manager's CertificateRequest controller and approver as one pure
// decision: Denied first, then InvalidRequest, then approval, then a request
// already decided (Issued, Failed, or a certificate in status) is never
// touched again, then the issuer, then the CSR.
#include "controller/request_decision.hpp"

namespace certmill::controller {

namespace {

constexpr auto kIssuerRecheck = std::chrono::minutes(1);

// Ready=False/Pending with `message`, written only when Ready says otherwise.
RequestPlan wait(const RequestView& r, std::string reason, std::string message,
                 std::optional<Duration> recheck) {
  const bool said = r.ready == ReadyMark::Pending && r.message.get() == message;
  return {.move = RequestMove::Wait,
          .approve = false,
          .write = !said,
          .reason = std::move(reason),
          .message = std::move(message),
          .recheck = recheck};
}

std::string kind_of(const RequestView& r) {
  return r.issuer_ref.kind.empty() ? std::string("Issuer") : r.issuer_ref.kind.str();
}

}  // namespace

bool signs_for_anyone(IssuerType type) {
  return type == IssuerType::ACME || type == IssuerType::CA || type == IssuerType::SelfSigned;
}

bool names_cert_manager_issuer(const RequestView& r) {
  const bool group = r.issuer_ref.group.empty() || r.issuer_ref.group == "cert-manager.io";
  const std::string kind = kind_of(r);
  return group && (kind == "Issuer" || kind == "ClusterIssuer");
}

RequestPlan plan_request(const RequestFacts& f) {
  const RequestView& r = f.request;
  // A Certificate's request is its Certificate's reconcile's; another
  // group's belongs to its external issuer.
  if (!r.owner_uid.empty() || !names_cert_manager_issuer(r))
    return {};
  if (r.state == RequestState::Denied) {
    if (r.ready == ReadyMark::Denied && r.failure_time)
      return {};
    return {.move = RequestMove::Deny,
            .approve = false,
            .write = true,
            .reason = "Denied",
            .message = kDeniedMessage,
            .recheck = std::nullopt};
  }
  if (r.state == RequestState::InvalidRequest)
    return {};
  // Signed or failed once: never again, whoever approves it later.
  if (r.ready == ReadyMark::Issued || r.ready == ReadyMark::Failed || r.has_certificate)
    return {};
  if (!r.approved && !f.approver)
    return wait(r, "WaitingForApproval",
                "Waiting on certificate issuance: not signing CertificateRequest until it is "
                "Approved",
                std::nullopt);
  const std::string issuer = "\"" + kind_of(r) + "\" \"" + r.issuer_ref.name + "\"";
  if (!f.issuer.found)
    return wait(r, "IssuerNotFound",
                "Waiting on certificate issuance: referenced " + issuer + " not found",
                kIssuerRecheck);
  if (!signs_for_anyone(f.issuer.type))
    return wait(r, "IssuerTypeNotSupported",
                "Waiting on certificate issuance: certmill signs requests without a Certificate "
                "only for ACME, CA and SelfSigned issuers, and " +
                    issuer + " is of type " + issuer_type_name(f.issuer.type),
                std::nullopt);
  if (!f.issuer.ready)
    return wait(r, "IssuerNotReady",
                "Waiting on certificate issuance: referenced " + issuer +
                    " does not have a Ready status condition",
                kIssuerRecheck);
  if (!r.csr_error.get().empty())
    return {.move = RequestMove::Fail,
            .approve = !r.approved,
            .write = true,
            .reason = "BadRequest",
            .message = "Failed to decode the CSR in spec.request: " + r.csr_error.get(),
            .recheck = std::nullopt};
  return {.move = RequestMove::Sign,
          .approve = !r.approved,
          .write = true,
          .reason = {},
          .message = {},
          .recheck = std::nullopt};
}

}  // namespace certmill::controller
