// JWS request bodies: every signature is checked by OpenSSL (and ES256 by the
// openssl command line too), and HS256 against published HMAC vectors.
#include "core/acme/jws.hpp"

#include <catch2/catch.hpp>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include "core/acme/base64url.hpp"
#include "core/pki/keys.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::acme;

namespace {

struct Parsed {
  std::string protected_b64, payload_b64, signature_b64;
  std::string header, payload, signature;  // decoded
};

Parsed parse_flattened(const std::string& jws) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  REQUIRE(parser.parse(jws).get(object) == simdjson::SUCCESS);
  REQUIRE(object.size() == 3);
  Parsed p;
  std::string_view v;
  REQUIRE(object["protected"].get(v) == simdjson::SUCCESS);
  p.protected_b64 = v;
  REQUIRE(object["payload"].get(v) == simdjson::SUCCESS);
  p.payload_b64 = v;
  REQUIRE(object["signature"].get(v) == simdjson::SUCCESS);
  p.signature_b64 = v;
  p.header = *base64url_decode(p.protected_b64);
  p.payload = *base64url_decode(p.payload_b64);
  p.signature = *base64url_decode(p.signature_b64);
  return p;
}

pki::PrivateKey make_key(api::PrivateKeyAlgorithm algorithm, int bits) {
  auto key = pki::generate_private_key(pki::KeySpec{algorithm, bits});
  REQUIRE(key.ok());
  return std::move(*key);
}

// JWA's r||s back to the DER ECDSA-Sig-Value that OpenSSL verifies.
std::string raw_to_der(const std::string& raw) {
  const int half = static_cast<int>(raw.size() / 2);
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(bytes, half, nullptr), BN_bin2bn(bytes + half, half, nullptr));
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

bool verifies(EVP_PKEY* key, const EVP_MD* md, const std::string& input, const std::string& sig) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

std::string public_pem(EVP_PKEY* key) {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  return pki::bio_contents(bio.get());
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

TEST_CASE("an ES256 newAccount request embeds the jwk and verifies with OpenSSL") {
  const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
  const JwsHeader header{"6S8IqOGY7eL2lsGoTZYifg", "https://ca.test/new-acct", ""};
  const std::string payload = R"({"termsOfServiceAgreed":true,"contact":["mailto:a@b.test"]})";
  auto jws = sign_jws(key.get(), header, payload);
  REQUIRE(jws.ok());
  const Parsed p = parse_flattened(*jws);
  const auto jwk = jwk_of(key.get());
  CHECK(p.header == R"({"alg":"ES256","jwk":)" + jwk->json() +
                        R"(,"nonce":"6S8IqOGY7eL2lsGoTZYifg","url":"https://ca.test/new-acct"})");
  CHECK(p.payload == payload);
  // JWA §3.4: 32-octet r then 32-octet s, not DER.
  REQUIRE(p.signature.size() == 64);
  const std::string input = p.protected_b64 + "." + p.payload_b64;
  CHECK(verifies(key.get(), EVP_sha256(), input, raw_to_der(p.signature)));
  CHECK_FALSE(verifies(key.get(), EVP_sha256(), input + "x", raw_to_der(p.signature)));

  test::ScratchDir dir;
  const auto result = test::openssl(
      {"dgst", "-sha256", "-verify", dir.write("pub.pem", public_pem(key.get())), "-signature",
       dir.write("sig.der", raw_to_der(p.signature)), dir.write("input", input)});
  CHECK(result.status == 0);
  CHECK(result.output.find("Verified OK") != std::string::npos);
}

TEST_CASE("a request with a kid names the account and a POST-as-GET has an empty payload") {
  const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
  const JwsHeader header{"n0nce", "https://ca.test/order/1", "https://ca.test/acct/7"};
  auto jws = sign_jws(key.get(), header, "");
  REQUIRE(jws.ok());
  const Parsed p = parse_flattened(*jws);
  CHECK(
      p.header ==
      R"({"alg":"ES256","kid":"https://ca.test/acct/7","nonce":"n0nce","url":"https://ca.test/order/1"})");
  CHECK(p.payload_b64.empty());
  CHECK(jws->find(R"("payload":"")") != std::string::npos);
  CHECK(verifies(key.get(), EVP_sha256(), p.protected_b64 + ".", raw_to_der(p.signature)));
}

TEST_CASE("header values are JSON-escaped") {
  const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
  auto jws = sign_jws(key.get(), JwsHeader{"a\"b", "https://ca.test/\\x", "k"}, "{}");
  REQUIRE(jws.ok());
  const Parsed p = parse_flattened(*jws);
  simdjson::dom::parser parser;
  simdjson::dom::object header;
  REQUIRE(parser.parse(p.header).get(header) == simdjson::SUCCESS);
  CHECK(std::string_view(header["nonce"]) == "a\"b");
  CHECK(std::string_view(header["url"]) == "https://ca.test/\\x");
}

TEST_CASE("RSA keys sign RS256 and P-384 keys ES384, both verifiable") {
  const auto rsa = make_key(api::PrivateKeyAlgorithm::RSA, 2048);
  auto rs = sign_jws(rsa.get(), JwsHeader{"n", "u", "k"}, "{}");
  REQUIRE(rs.ok());
  const Parsed r = parse_flattened(*rs);
  CHECK(r.header.starts_with(R"({"alg":"RS256",)"));
  CHECK(r.signature.size() == 256);
  CHECK(verifies(rsa.get(), EVP_sha256(), r.protected_b64 + "." + r.payload_b64, r.signature));

  const auto p384 = make_key(api::PrivateKeyAlgorithm::ECDSA, 384);
  auto es = sign_jws(p384.get(), JwsHeader{"n", "u", ""}, "{}");
  REQUIRE(es.ok());
  const Parsed e = parse_flattened(*es);
  CHECK(e.header.starts_with(R"({"alg":"ES384","jwk":{"crv":"P-384")"));
  REQUIRE(e.signature.size() == 96);
  CHECK(verifies(p384.get(), EVP_sha384(), e.protected_b64 + "." + e.payload_b64,
                 raw_to_der(e.signature)));

  const auto ed = make_key(api::PrivateKeyAlgorithm::Ed25519, 256);
  CHECK_FALSE(sign_jws(ed.get(), JwsHeader{"n", "u", ""}, "{}").ok());
}

TEST_CASE("HMAC-SHA-256 matches RFC 4231 and RFC 7515's HS256 example") {
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 7515 Appendix A.1: the JWK's k and the signing input give this signature.
  auto key = base64url_decode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  REQUIRE(key.ok());
  const std::string input =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  CHECK(base64url_encode(hmac_sha256(*key, input)) ==
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST_CASE("the External Account Binding is an HS256 JWS over the account JWK") {
  const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
  const Jwk jwk = *jwk_of(key.get());
  const std::string mac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
  auto eab = external_account_binding("kid-1", mac_key, "https://ca.test/new-acct", jwk);
  REQUIRE(eab.ok());
  const Parsed p = parse_flattened(*eab);
  CHECK(p.header == R"({"alg":"HS256","kid":"kid-1","url":"https://ca.test/new-acct"})");
  CHECK(p.payload == jwk.json());
  const std::string input = p.protected_b64 + "." + p.payload_b64;
  CHECK(p.signature == hmac_sha256(*base64url_decode(mac_key), input));

  // The same MAC from the openssl command line, as an independent peer.
  test::ScratchDir dir;
  const auto result =
      test::openssl({"dgst", "-sha256", "-mac", "HMAC", "-macopt",
                     "hexkey:" + hex(*base64url_decode(mac_key)), dir.write("input", input)});
  REQUIRE(result.status == 0);
  CHECK(result.output.find(hex(p.signature)) != std::string::npos);

  // Padding and a trailing newline, as keys pasted into Secrets carry them.
  auto padded = external_account_binding("kid-1", "AQID\n", "u", jwk);
  auto bare = external_account_binding("kid-1", "AQID", "u", jwk);
  REQUIRE(padded.ok());
  REQUIRE(bare.ok());
  CHECK(*padded == *bare);
  CHECK(external_account_binding("kid-1", "AQI=", "u", jwk).ok());
}

TEST_CASE("a bad External Account Binding is refused with a reason") {
  const auto key = make_key(api::PrivateKeyAlgorithm::ECDSA, 256);
  const Jwk jwk = *jwk_of(key.get());
  auto not_url = external_account_binding("kid", "ab+/cd", "u", jwk);
  REQUIRE_FALSE(not_url.ok());
  CHECK(not_url.error().message().find("MAC key is not base64url") != std::string::npos);
  CHECK_FALSE(external_account_binding("kid", "", "u", jwk).ok());
  CHECK_FALSE(external_account_binding("", "AQID", "u", jwk).ok());
}
