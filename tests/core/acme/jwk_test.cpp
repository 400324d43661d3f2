// JWKs and thumbprints: RFC 7638's own example, keys read back from OpenSSL,
// and the key authorizations of RFC 8555 §8.
#include "core/acme/jwk.hpp"

#include <catch2/catch.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "core/acme/base64url.hpp"
#include "core/pki/keys.hpp"

using namespace certmill;
using namespace certmill::acme;

namespace {

// RFC 7638 §3.1.
constexpr std::string_view kRfcN =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebWKRX"
    "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQMicAt"
    "aSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
    "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPk"
    "sINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
constexpr std::string_view kRfcThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

pki::PrivateKey make_key(api::PrivateKeyAlgorithm algorithm, int bits) {
  auto key = pki::generate_private_key(pki::KeySpec{algorithm, bits});
  REQUIRE(key.ok());
  return std::move(*key);
}

// An RSA public key from raw n and e, as a CA or a test vector gives them.
pki::PkeyPtr rsa_public_key(const std::string& n, const std::string& e) {
  pki::BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                            static_cast<int>(n.size()), nullptr));
  pki::BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                            static_cast<int>(e.size()), nullptr));
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  pki::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_fromdata_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) == 1);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return pki::PkeyPtr(key);
}

}  // namespace

TEST_CASE("the thumbprint of RFC 7638's example key is the RFC's") {
  Jwk jwk;
  jwk.kty = "RSA";
  jwk.e = "AQAB";
  jwk.n = std::string(kRfcN);
  CHECK(jwk.json() == R"({"e":"AQAB","kty":"RSA","n":")" + std::string(kRfcN) + R"("})");
  CHECK(jwk_thumbprint(jwk) == kRfcThumbprint);
}

TEST_CASE("an RSA key's JWK carries its modulus and exponent without leading zeros") {
  auto n = base64url_decode(kRfcN);
  REQUIRE(n.ok());
  // A leading zero octet, as a DER INTEGER would carry it, must not survive.
  auto key = rsa_public_key(std::string(1, '\0') + *n, std::string("\x00\x01\x00\x01", 4));
  auto jwk = jwk_of(key.get());
  REQUIRE(jwk.ok());
  CHECK(jwk->kty == "RSA");
  CHECK(jwk->n == kRfcN);
  CHECK(jwk->e == "AQAB");
  CHECK(jwk_thumbprint(*jwk) == kRfcThumbprint);
}

TEST_CASE("an EC P-256 key's JWK has fixed-width coordinates in canonical order") {
  for (int i = 0; i < 8; ++i) {
    const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
    auto jwk = jwk_of(key.get());
    REQUIRE(jwk.ok());
    CHECK(jwk->crv == "P-256");
    // 32 octets each, also when the top octet of a coordinate is zero.
    REQUIRE(jwk->x.size() == 43);
    REQUIRE(jwk->y.size() == 43);
    unsigned char point[65];
    std::size_t len = 0;
    REQUIRE(EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                            sizeof point, &len) == 1);
    REQUIRE(len == 65);
    CHECK(*base64url_decode(jwk->x) + *base64url_decode(jwk->y) ==
          std::string(reinterpret_cast<const char*>(point + 1), 64));
    CHECK(jwk->json() ==
          R"({"crv":"P-256","kty":"EC","x":")" + jwk->x + R"(","y":")" + jwk->y + R"("})");
    CHECK(jwk_thumbprint(*jwk).size() == 43);
  }
}

TEST_CASE("P-384 keys name their curve: Ed25519 keys have no ACME JWK") {
  const auto p384 = make_key(api::PrivateKeyAlgorithm::ECDSA, 384);
  auto jwk = jwk_of(p384.get());
  REQUIRE(jwk.ok());
  CHECK(jwk->crv == "P-384");
  CHECK(jwk->x.size() == 64);

  const auto ed = make_key(api::PrivateKeyAlgorithm::Ed25519, 256);
  auto none = jwk_of(ed.get());
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("EC or RSA") != std::string::npos);
  CHECK_FALSE(jwk_of(nullptr).ok());
}

TEST_CASE("key authorizations and the DNS-01 digest") {
  const std::string ka =
      key_authorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", kRfcThumbprint);
  CHECK(ka ==
        "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  // base64url(SHA-256(ka)), computed with `openssl dgst -sha256 -binary`.
  CHECK(dns01_txt_value(ka) == "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
}
