// gateway-shim: the Certificates an annotated Gateway asks for, one per
// Secret its HTTPS and TLS listeners reference (hostname → dnsNames), as
// cert-manager's certificate-shim builds them.
#pragma once

#include "controller/shim_certificate.hpp"
#include "core/api/gateway.hpp"

namespace certmill::controller {

ShimResult gateway_certificates(const api::Gateway& gateway, const ShimDefaults& defaults);

}  // namespace certmill::controller
