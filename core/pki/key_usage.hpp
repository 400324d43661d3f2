// cert-manager's `usages` as X.509 key usage bits and extended key usages,
// with its defaults: "digital signature" and "key encipherment" when the list
// is empty (for every key type), plus "cert sign" for a CA.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/api/certificate.hpp"

namespace certmill::pki {

// RFC 5280 §4.2.1.3 bit numbers: bit n is (1 << n).
enum KeyUsageBit : uint16_t {
  ku_digital_signature = 1 << 0,
  ku_content_commitment = 1 << 1,
  ku_key_encipherment = 1 << 2,
  ku_data_encipherment = 1 << 3,
  ku_key_agreement = 1 << 4,
  ku_cert_sign = 1 << 5,
  ku_crl_sign = 1 << 6,
  ku_encipher_only = 1 << 7,
  ku_decipher_only = 1 << 8,
};

struct Usages {
  uint16_t key_usage = 0;     // KeyUsageBit flags
  std::vector<int> extended;  // OpenSSL NIDs, in the order requested
  bool operator==(const Usages&) const = default;
};

// cert-manager's KeyUsagesForCertificateOrCertificateRequest.
Usages resolve_usages(const std::vector<api::KeyUsage>& usages, bool is_ca);

// The names OpenSSL's `x509 -text` prints, for messages and tests.
std::vector<std::string> key_usage_names(uint16_t key_usage);
std::string extended_usage_name(int nid);

}  // namespace certmill::pki
