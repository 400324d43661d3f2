// ingress-shim: the Certificates an annotated Ingress asks for, one per
// spec.tls[] entry (secretName → name and Secret, hosts → dnsNames), as
// cert-manager's certificate-shim builds them.
#pragma once

#include "controller/shim_certificate.hpp"
#include "core/api/ingress.hpp"

namespace certmill::controller {

ShimResult ingress_certificates(const api::Ingress& ingress, const ShimDefaults& defaults);

}  // namespace certmill::controller
