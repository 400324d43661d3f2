// PKCS#12 keystores and truststores as cert-manager writes them for
// spec.keystores.pkcs12 (keystore.p12, truststore.p12), in its three
// profiles: LegacyRC2 (the default), LegacyDES and Modern2023.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"
#include "core/result.hpp"

namespace certmill::pki {

enum class Pkcs12Profile { LegacyRC2, LegacyDES, Modern2023 };

// "" → LegacyRC2; an unknown name is an error naming it.
Result<Pkcs12Profile> pkcs12_profile(std::string_view name);

// The key and chain[0] as the entry, chain[1..] then `cas` as CA certificates
// (cert-manager's encodePKCS12Keystore).
Result<std::string> pkcs12_keystore(const PrivateKey& key, const std::vector<Certificate>& chain,
                                    const std::vector<Certificate>& cas,
                                    const std::string& password, Pkcs12Profile profile);

// Certificates only: the CA, for clients that want a trust store.
Result<std::string> pkcs12_truststore(const std::vector<Certificate>& cas,
                                      const std::string& password, Pkcs12Profile profile);

}  // namespace certmill::pki
