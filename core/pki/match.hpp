// Whether an issued certificate still says what its Certificate's spec asks
// for — the reconciler's "is this Secret still right?" — and whether an
// existing private key may be reused under spec.privateKey.rotationPolicy.
#pragma once

#include <string>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"

namespace certmill::pki {

// The spec fields the certificate disagrees with, by their manifest names
// ("spec.dnsNames", "spec.usages", ...); empty when it matches. Name lists
// compare as sets, IP addresses in canonical form, as cert-manager does.
std::vector<std::string> certificate_mismatches(const api::CertificateSpec& spec,
                                                const CertificateInfo& cert);

// rotationPolicy Never keeps an existing key that still fits the spec's
// algorithm and size; Always (the default) never does.
bool reuse_private_key(const KeySpec& spec, const PrivateKey* existing);

}  // namespace certmill::pki
