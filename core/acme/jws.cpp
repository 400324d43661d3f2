// JWS signing through EVP: one digest-sign call per request, with ECDSA's DER
// signature reshaped into the fixed-width r||s that JWA (RFC 7518 §3.4) wants.
#include "core/acme/jws.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/acme/base64url.hpp"
#include "core/json/writer.hpp"
#include "core/pki/ossl.hpp"

namespace certmill::acme {
namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, pki::OsslDeleter<ECDSA_SIG_free>>;

const EVP_MD* digest_of(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::ES384:
      return EVP_sha384();
    case JwsAlgorithm::ES512:
      return EVP_sha512();
    case JwsAlgorithm::ES256:
    case JwsAlgorithm::RS256:
      break;
  }
  return EVP_sha256();
}

// The width of r and s: the curve's order size in octets.
int coordinate_size(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::ES256:
      return 32;
    case JwsAlgorithm::ES384:
      return 48;
    case JwsAlgorithm::ES512:
      return 66;
    case JwsAlgorithm::RS256:
      break;
  }
  return 0;
}

Result<std::string> der_to_raw(std::string_view der, int size) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig)
    return pki::ossl_error(Errc::invalid_value, "cannot read the ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(static_cast<std::size_t>(2 * size), '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, raw, size) != size || BN_bn2binpad(s, raw + size, size) != size)
    return Error(Errc::invalid_value, "ECDSA signature does not fit the curve size");
  return out;
}

std::string flattened(std::string_view protected_b64, std::string_view payload_b64,
                      std::string_view signature) {
  json::JsonWriter w;
  w.begin_object();
  w.key("protected");
  w.string(protected_b64);
  w.key("payload");
  w.string(payload_b64);
  w.key("signature");
  w.string(base64url_encode(signature));
  w.end_object();
  return w.take();
}

std::string signing_input(std::string_view protected_b64, std::string_view payload_b64) {
  std::string out;
  out.reserve(protected_b64.size() + 1 + payload_b64.size());
  out.append(protected_b64).append(".").append(payload_b64);
  return out;
}

// jwk_of accepts only the curves listed here and RSA.
JwsAlgorithm algorithm_of(const Jwk& jwk) {
  if (jwk.kty == "RSA")
    return JwsAlgorithm::RS256;
  if (jwk.crv == "P-384")
    return JwsAlgorithm::ES384;
  if (jwk.crv == "P-521")
    return JwsAlgorithm::ES512;
  return JwsAlgorithm::ES256;
}

}  // namespace

Result<JwsAlgorithm> jws_algorithm_for(EVP_PKEY* key) {
  auto jwk = jwk_of(key);
  if (!jwk)
    return jwk.error();
  return algorithm_of(*jwk);
}

std::string_view jws_algorithm_name(JwsAlgorithm alg) noexcept {
  switch (alg) {
    case JwsAlgorithm::ES256:
      return "ES256";
    case JwsAlgorithm::ES384:
      return "ES384";
    case JwsAlgorithm::ES512:
      return "ES512";
    case JwsAlgorithm::RS256:
      break;
  }
  return "RS256";
}

Result<std::string> jws_signature(EVP_PKEY* key, JwsAlgorithm alg, std::string_view input) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_of(alg), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return pki::ossl_error(Errc::invalid_argument, "cannot sign the JWS");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return pki::ossl_error(Errc::invalid_argument, "cannot sign the JWS");
  }
  signature.resize(size);
  if (alg == JwsAlgorithm::RS256)
    return signature;
  return der_to_raw(signature, coordinate_size(alg));
}

Result<std::string> sign_jws(EVP_PKEY* key, const JwsHeader& header, std::string_view payload) {
  auto jwk = jwk_of(key);
  if (!jwk)
    return jwk.error();
  const JwsAlgorithm alg = algorithm_of(*jwk);
  json::JsonWriter w;
  w.begin_object();
  w.key("alg");
  w.string(jws_algorithm_name(alg));
  if (header.kid.empty()) {
    w.key("jwk");
    w.raw(jwk->json());
  } else {
    w.key("kid");
    w.string(header.kid);
  }
  w.key("nonce");
  w.string(header.nonce);
  w.key("url");
  w.string(header.url);
  w.end_object();
  const std::string protected_b64 = base64url_encode(w.str());
  const std::string payload_b64 = base64url_encode(payload);
  auto signature = jws_signature(key, alg, signing_input(protected_b64, payload_b64));
  if (!signature)
    return signature.error();
  return flattened(protected_b64, payload_b64, *signature);
}

Result<std::string> external_account_binding(std::string_view key_id, std::string_view mac_key,
                                             std::string_view new_account_url,
                                             const Jwk& account_jwk) {
  if (key_id.empty())
    return Error(Errc::invalid_argument, "externalAccountBinding: keyID is empty");
  // Keys pasted into Secrets often keep a trailing newline or padding; neither
  // is part of the key, and rejecting them would only confuse the user.
  while (!mac_key.empty() && (mac_key.back() == '\n' || mac_key.back() == '\r' ||
                              mac_key.back() == ' ' || mac_key.back() == '='))
    mac_key.remove_suffix(1);
  auto key = base64url_decode(mac_key);
  if (!key) {
    return Error(Errc::invalid_argument,
                 "externalAccountBinding: the MAC key is not base64url: " + key.error().message());
  }
  if (key->empty())
    return Error(Errc::invalid_argument, "externalAccountBinding: the MAC key is empty");
  json::JsonWriter w;
  w.begin_object();
  w.key("alg");
  w.string("HS256");
  w.key("kid");
  w.string(key_id);
  w.key("url");
  w.string(new_account_url);
  w.end_object();
  const std::string protected_b64 = base64url_encode(w.str());
  const std::string payload_b64 = base64url_encode(account_jwk.json());
  return flattened(protected_b64, payload_b64,
                   hmac_sha256(*key, signing_input(protected_b64, payload_b64)));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

}  // namespace certmill::acme
