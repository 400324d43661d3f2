// Ordering a certificate chain and splitting it into what cert-manager writes:
// tls.crt (leaf first, up to the highest certificate that is not a
// self-signed root) and ca.crt (the root, or the highest intermediate).
#pragma once

#include <string>
#include <vector>

#include "core/pki/x509.hpp"
#include "core/result.hpp"

namespace certmill::pki {

struct PemBundle {
  std::string chain_pem;  // tls.crt
  std::string ca_pem;     // ca.crt; empty for a lone certificate that is not self-signed
  bool operator==(const PemBundle&) const = default;
};

// The certificates (any order, duplicates allowed) as one chain, leaf first.
// More than one leaf, or a certificate that does not link, is an error.
Result<std::vector<Certificate>> order_chain(std::vector<Certificate> certs);

// cert-manager's ParseSingleCertificateChain: a self-signed root goes to
// ca.crt only; a chain of one self-signed certificate is both.
Result<PemBundle> bundle_chain(std::vector<Certificate> certs);

}  // namespace certmill::pki
