// The cert-manager.io/* annotations of an Ingress or Gateway, as the
// Certificate fields they set (cert-manager's certificate-shim): common-name,
// email-sans, subject-*, duration, renew-before, renew-before-percentage,
// usages, revision-history-limit, private-key-*, secret-template. Which
// objects get Certificates, and from which issuer: shim_selection.hpp.
#pragma once

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::controller {

// Applies the annotations to `spec`. The first malformed one is an error:
// `invalid ingress annotation "cert-manager.io/duration": ...`.
Status apply_shim_annotations(const api::StringMap& annotations, api::CertificateSpec& spec);

}  // namespace certmill::controller
