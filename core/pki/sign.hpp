// Issuing a certificate from a CSR as cert-manager's SelfSigned and CA issuers
// do (pkg/util/pki/certificatetemplate.go, validity.go).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/duration.hpp"
#include "core/pki/ca_keypair.hpp"
#include "core/pki/chain.hpp"
#include "core/pki/keys.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::pki {

// cert-manager's default `duration`: 90 days.
inline constexpr Duration default_certificate_duration = std::chrono::hours(2160);

// Subject and SANs come from the CSR; usages and isCA from the request (and
// must agree with the CSR when it encodes them); validity runs from `now` for
// `duration`, capped by the CA chain's earliest notAfter.
struct SigningRequest {
  std::string csr_pem;
  std::optional<Duration> duration;  // default_certificate_duration when unset
  bool is_ca = false;
  std::vector<api::KeyUsage> usages;
  Time now;
};

// URLs an issuer stamps into what it signs (Issuer spec.ca / spec.selfSigned).
struct IssuerUrls {
  std::vector<std::string> crl_distribution_points;
  std::vector<std::string> ocsp_servers;
  std::vector<std::string> issuing_certificate_urls;
};

// SelfSigned: `key` must be the CSR's key. tls.crt and ca.crt are both the
// new certificate.
Result<PemBundle> sign_self_signed(const SigningRequest& request, const PrivateKey& key,
                                   const IssuerUrls& urls);

// CA: signed by ca.chain[0]; tls.crt is the leaf and the CA's chain without a
// self-signed root, ca.crt the root (cert-manager's chain rules, chain.hpp).
Result<PemBundle> sign_with_ca(const SigningRequest& request, const CaKeyPair& ca,
                               const IssuerUrls& urls);

}  // namespace certmill::pki
