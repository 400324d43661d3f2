// cert-manager's per-Certificate overrides of an HTTP-01 ingress solver:
// annotations on the Certificate, copied onto its CertificateRequest and
// Order, that replace the solver's ingress name, class or ingressClassName
// when a Challenge is built (pkg/controller/acmeorders/util.go). ingress-shim
// sets them from an Ingress's http01-edit-in-place, http01-ingress-class and
// http01-ingress-ingressclassname annotations.
#pragma once

#include <string_view>

#include "core/api/issuer.hpp"
#include "core/result.hpp"

namespace certmill::solvers {

inline constexpr std::string_view kIngressNameOverride =
    "acme.cert-manager.io/http01-override-ingress-name";
inline constexpr std::string_view kIngressClassOverride =
    "acme.cert-manager.io/http01-override-ingress-class";
inline constexpr std::string_view kIngressClassNameOverride =
    "acme.cert-manager.io/http01-override-ingress-ingressclassname";

// An error, in cert-manager's words, when more than one override is set.
Status check_ingress_overrides(const api::StringMap& annotations);

// `solver` with the override applied: the solver's name, class and
// ingressClassName are cleared and the one override set takes their place.
// A solver without http01.ingress (an HTTPRoute one) is returned unchanged,
// as are all solvers when no override is set.
Result<api::ACMEChallengeSolver> with_ingress_overrides(api::ACMEChallengeSolver solver,
                                                        const api::StringMap& annotations);

}  // namespace certmill::solvers
