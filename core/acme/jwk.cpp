// JWKs read from OpenSSL 3 key parameters, so RSA and EC keys need no
// deprecated low-level accessors.
#include "core/acme/jwk.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "core/acme/base64url.hpp"
#include "core/json/writer.hpp"
#include "core/pki/ossl.hpp"

namespace certmill::acme {
namespace {

std::string sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

Result<pki::BnPtr> bn_param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
    return pki::ossl_error(Errc::invalid_argument,
                           std::string("cannot read key parameter ") + name);
  return pki::BnPtr(bn);
}

// Big-endian octets, `size` long when given (EC coordinates keep their leading
// zeros, RFC 7518 §6.2.1.2) or minimal (RSA, §6.3.1.1).
std::string bn_bytes(const BIGNUM* bn, int size) {
  const int len = size > 0 ? size : BN_num_bytes(bn);
  std::string out(static_cast<std::size_t>(len), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), len);
  return out;
}

Result<Jwk> ec_jwk(EVP_PKEY* key) {
  char group[64] = {};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &group_len) != 1) {
    return pki::ossl_error(Errc::invalid_argument, "cannot read the curve of an EC key");
  }
  const std::string_view name(group, group_len);
  Jwk jwk;
  jwk.kty = "EC";
  int size = 0;
  if (name == "prime256v1" || name == "P-256") {
    jwk.crv = "P-256";
    size = 32;
  } else if (name == "secp384r1" || name == "P-384") {
    jwk.crv = "P-384";
    size = 48;
  } else if (name == "secp521r1" || name == "P-521") {
    jwk.crv = "P-521";
    size = 66;
  } else {
    return Error(Errc::invalid_argument,
                 "EC curve " + std::string(name) + " has no JWS algorithm; use P-256");
  }
  auto x = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X);
  auto y = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y);
  if (!x)
    return x.error();
  if (!y)
    return y.error();
  jwk.x = base64url_encode(bn_bytes(x->get(), size));
  jwk.y = base64url_encode(bn_bytes(y->get(), size));
  return jwk;
}

Result<Jwk> rsa_jwk(EVP_PKEY* key) {
  auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
  auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
  if (!n)
    return n.error();
  if (!e)
    return e.error();
  Jwk jwk;
  jwk.kty = "RSA";
  jwk.e = base64url_encode(bn_bytes(e->get(), 0));
  jwk.n = base64url_encode(bn_bytes(n->get(), 0));
  return jwk;
}

}  // namespace

std::string Jwk::json() const {
  json::JsonWriter w;
  w.begin_object();
  if (kty == "EC") {
    w.key("crv");
    w.string(crv);
    w.key("kty");
    w.string(kty);
    w.key("x");
    w.string(x);
    w.key("y");
    w.string(y);
  } else {
    w.key("e");
    w.string(e);
    w.key("kty");
    w.string(kty);
    w.key("n");
    w.string(n);
  }
  w.end_object();
  return w.take();
}

Result<Jwk> jwk_of(EVP_PKEY* key) {
  if (key == nullptr)
    return Error(Errc::invalid_argument, "no account key");
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      return ec_jwk(key);
    case EVP_PKEY_RSA:
      return rsa_jwk(key);
    default:
      return Error(Errc::invalid_argument,
                   std::string("an ACME account key must be EC or RSA, not ") +
                       (EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown"));
  }
}

std::string jwk_thumbprint(const Jwk& jwk) {
  return base64url_encode(sha256(jwk.json()));
}

std::string key_authorization(std::string_view token, std::string_view thumbprint) {
  std::string out;
  out.reserve(token.size() + 1 + thumbprint.size());
  out.append(token).append(".").append(thumbprint);
  return out;
}

std::string dns01_txt_value(std::string_view key_authorization) {
  return base64url_encode(sha256(key_authorization));
}

}  // namespace certmill::acme
