// The ACME annotations of an Ingress or Gateway that become annotations on
// its Certificates (cert-manager's setIssuerSpecificConfig), for the ACME
// issuer to apply to each Challenge's solver
// (solvers/http01/ingress_overrides):
//   acme.cert-manager.io/http01-edit-in-place: "true"
//     -> acme.cert-manager.io/http01-override-ingress-name: <object's name>
//        cert-manager.io/issue-temporary-certificate: "true"
//   acme.cert-manager.io/http01-ingress-class: <class>
//     -> acme.cert-manager.io/http01-override-ingress-class: <class>
//   acme.cert-manager.io/http01-ingress-ingressclassname: <name>
//     -> acme.cert-manager.io/http01-override-ingress-ingressclassname: <name>
#pragma once

#include "core/api/certificate.hpp"

namespace certmill::controller {

inline constexpr std::string_view kEditInPlaceAnnotation =
    "acme.cert-manager.io/http01-edit-in-place";
inline constexpr std::string_view kIngressClassAnnotation =
    "acme.cert-manager.io/http01-ingress-class";
inline constexpr std::string_view kIngressClassNameAnnotation =
    "acme.cert-manager.io/http01-ingress-ingressclassname";

// Adds to `crt`'s annotations what `owner`'s annotations ask for.
void set_issuer_specific_config(const api::ObjectMeta& owner, api::Certificate& crt);

}  // namespace certmill::controller
