// The signing key pair of a CA Issuer, read from its Secret's tls.crt and
// tls.key and checked before any signing: present, parseable, matching, a
// CA, and valid now.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::pki {

struct CaKeyPair {
  std::vector<Certificate> chain;  // the signing certificate, then its issuers in order
  PrivateKey key;
  std::string secret;  // where it came from, for messages
};

// `secret` names the Secret in messages ("ns/ca-key-pair"); an empty
// tls.crt or tls.key means the key is missing from the Secret.
Result<CaKeyPair> load_ca_key_pair(std::string_view tls_crt, std::string_view tls_key, Time now,
                                   std::string_view secret);

// The checks of load_ca_key_pair that depend on time, for a key pair loaded
// earlier: signing with an expired or not yet valid CA is an error.
Status check_ca_validity(const CaKeyPair& ca, Time now);

}  // namespace certmill::pki
