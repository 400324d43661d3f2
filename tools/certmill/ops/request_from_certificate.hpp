// What `certmill create certificaterequest` builds from a Certificate
// manifest: the Certificate read from YAML, and the CertificateRequest that
// asks for what its spec asks, as cmctl create certificaterequest builds it.
// Pure: the command generates the key, sends the request and writes files.
#pragma once

#include <string>
#include <string_view>

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::ops {

// The Certificate in a YAML or JSON manifest of one document; `what` names
// the file in errors. Another kind is an error naming the kind.
Result<api::Certificate> certificate_from_manifest(std::string_view text, std::string_view what);

// The CertificateRequest `name` in `ns`, asking with `csr_pem` for the
// Certificate's issuerRef, duration, isCA and usages, carrying its labels
// and annotations. Not the controller's make_request: that one names the
// request after a revision and makes the Certificate its owner, while this
// request belongs to the user and the Certificate may not even exist.
api::CertificateRequest request_for(const api::Certificate& certificate, std::string name,
                                    std::string ns, std::string csr_pem);

}  // namespace certmill::ops
