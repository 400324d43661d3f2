// The conditions that renew, approve and deny write, as cmctl writes them,
// and the merge patch that carries them. Pure: the commands send the patch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/time.hpp"

namespace certmill::ops {

// cmctl renew's condition: Issuing=True, which the issuing controller takes
// as a request to issue now, whatever the renewal time says.
inline constexpr const char* kManualRenewalReason = "ManuallyTriggered";
inline constexpr const char* kManualRenewalMessage = "Certificate re-issuance manually triggered";

// Whether Issuing=True: an issuance is already under way, and renew skips it.
bool is_issuing(const api::Certificate& certificate);

// The Certificate's conditions with Issuing set to the manual trigger.
std::vector<api::Condition> renewal_conditions(const api::Certificate& certificate, Time now);

// cmctl's defaults, with certmill's name where cmctl names itself.
inline constexpr const char* kDecisionReason = "KubectlCertManager";
inline constexpr const char* kApproveMessage = "manually approved by \"certmill\"";
inline constexpr const char* kDenyMessage = "manually denied by \"certmill\"";

enum class Decision { none, approved, denied };

// What a CertificateRequest's Approved and Denied conditions already say; a
// decision, once made, is final (cert-manager's webhook refuses to change it).
Decision decision_of(const api::CertificateRequest& request);

// The request's conditions with Approved (or Denied) set to True.
std::vector<api::Condition> decision_conditions(const api::CertificateRequest& request,
                                                Decision decision, std::string reason,
                                                std::string message, Time now);

// A merge patch of status.conditions (the whole list, as merge patches replace
// arrays) guarded by `resource_version`, so that a write racing ours fails
// with a conflict instead of being overwritten.
std::string conditions_patch(std::string_view resource_version,
                             const std::vector<api::Condition>& conditions);

}  // namespace certmill::ops
