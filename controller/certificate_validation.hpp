// The rules cert-manager's admission webhook applies to a Certificate's spec
// (its ValidateCertificateSpec), for clusters where nothing refused the spec
// before it reached certmill, and the syntax the webhook leaves to the CA:
// DNS names, URIs and the subject's X.509 length bounds. A broken rule is
// one error in Kubernetes' field form, with the webhook's words where it has
// them: `spec.duration: Invalid value: 30s: certificate duration must be
// greater than 1h0m0s`. Pure; the reconciler turns them into Ready=False.
#pragma once

#include <string>
#include <vector>

#include "core/api/certificate.hpp"

namespace certmill::controller {

std::vector<std::string> certificate_spec_errors(const api::CertificateSpec& spec);

// The errors as one message, as an admission webhook answers: one alone, or
// several as "[a, b]".
std::string aggregate_errors(const std::vector<std::string>& errors);

}  // namespace certmill::controller
