// The cert-manager.io/* annotations of an Ingress or Gateway, as the
// Certificate fields they set (cert-manager's certificate-shim): common-name,
// email-sans, subject-*, duration, renew-before, renew-before-percentage,
// usages, revision-history-limit, private-key-*, secret-template, and the
// issuer to use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::controller {

// The issuer for objects that only say `kubernetes.io/tls-acme: "true"`
// (cert-manager's --default-issuer-name/kind/group, whose kind and group
// also fill in what the annotations leave out); tls-acme is ignored when no
// name is configured.
struct ShimDefaults {
  api::IssuerRef issuer{"", "Issuer", "cert-manager.io"};
};

// Whether the object asks for Certificates at all: an issuer or
// cluster-issuer annotation, or (Ingress only) kubernetes.io/tls-acme "true"
// with a default issuer configured.
bool wants_certificates(const api::StringMap& annotations, const ShimDefaults& defaults,
                        bool is_ingress);

// The issuer the annotations name. Errors list every conflict, as cert-manager
// does ("both ... may not be set").
Result<api::IssuerRef> shim_issuer(const api::StringMap& annotations, const ShimDefaults& defaults);

// Applies the annotations to `spec`. The first malformed one is an error:
// `invalid ingress annotation "cert-manager.io/duration": ...`.
Status apply_shim_annotations(const api::StringMap& annotations, api::CertificateSpec& spec);

}  // namespace certmill::controller
