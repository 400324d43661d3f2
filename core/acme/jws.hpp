// ACME request bodies: flattened JSON JWS (RFC 7515 §7.2.2) signed with the
// account key as RFC 8555 §6.2 requires, and the External Account Binding's
// inner JWS (RFC 8555 §7.3.4).
#pragma once

#include <string>
#include <string_view>

#include <openssl/types.h>

#include "core/acme/jwk.hpp"
#include "core/result.hpp"

namespace certmill::acme {

// ES256/384/512 follow the EC key's curve; RSA keys sign RS256.
enum class JwsAlgorithm { ES256, ES384, ES512, RS256 };

Result<JwsAlgorithm> jws_algorithm_for(EVP_PKEY* key);
std::string_view jws_algorithm_name(JwsAlgorithm alg) noexcept;

// The signature over `input` (the base64url header, '.', the base64url
// payload) in JWS's form: RSASSA-PKCS1-v1_5 bytes, ECDSA's fixed-width r||s.
// Also what signs a JWT that is not an ACME request (an OAuth assertion).
Result<std::string> jws_signature(EVP_PKEY* key, JwsAlgorithm alg, std::string_view input);

// What the protected header carries besides alg.
struct JwsHeader {
  std::string nonce;  // from the CA's last Replay-Nonce
  std::string url;    // the exact URL the request goes to
  // The account URL. Empty puts the key itself in the header as `jwk`, which
  // RFC 8555 allows only for newAccount and revokeCert signed by the
  // certificate's key; every other request must name the account.
  std::string kid;
};

// {"protected":…,"payload":…,"signature":…}. `payload` is the JSON text to
// send; an empty payload is a POST-as-GET (§6.3), whose payload member is "".
Result<std::string> sign_jws(EVP_PKEY* key, const JwsHeader& header, std::string_view payload);

// The `externalAccountBinding` member of a newAccount payload: a JWS whose
// payload is the account's JWK, MAC'd with HS256 under the key the CA issued
// with `key_id`. `mac_key` is base64url as CAs hand it out (padding tolerated).
Result<std::string> external_account_binding(std::string_view key_id, std::string_view mac_key,
                                             std::string_view new_account_url,
                                             const Jwk& account_jwk);

// HMAC-SHA-256 of raw bytes (RFC 2104), the primitive behind HS256.
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace certmill::acme
