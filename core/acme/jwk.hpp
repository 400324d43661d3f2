// The account key as ACME names it: its public JWK (RFC 7517/7518), the
// RFC 7638 thumbprint, and the key authorizations built from it (RFC 8555 §8.1).
#pragma once

#include <string>
#include <string_view>

#include <openssl/types.h>

#include "core/result.hpp"

namespace certmill::acme {

// The required public members of an EC or RSA JWK, each already base64url.
// Only these members exist because RFC 7638 hashes exactly them, and a CA
// compares the jwk of newAccount against later requests.
struct Jwk {
  std::string kty;  // "EC" or "RSA"
  std::string crv;  // EC: "P-256", "P-384" or "P-521"
  std::string x;    // EC: coordinates, left-padded to the field size
  std::string y;
  std::string e;  // RSA: exponent and modulus, without leading zero octets
  std::string n;
  bool operator==(const Jwk&) const = default;

  // Compact JSON with the required members in lexicographic order and no
  // whitespace: RFC 7638 §3's canonical form, also fine as the header's jwk.
  std::string json() const;
};

// The public half of an EC (P-256/384/521) or RSA key; any other key is an error.
Result<Jwk> jwk_of(EVP_PKEY* key);

// base64url(SHA-256(jwk.json())), RFC 7638 §3.
std::string jwk_thumbprint(const Jwk& jwk);

// token "." thumbprint (RFC 8555 §8.1): the HTTP-01 response body.
std::string key_authorization(std::string_view token, std::string_view thumbprint);

// base64url(SHA-256(key authorization)) (RFC 8555 §8.4): the DNS-01 TXT value.
std::string dns01_txt_value(std::string_view key_authorization);

}  // namespace certmill::acme
