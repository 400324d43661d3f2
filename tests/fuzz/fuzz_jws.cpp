// Fuzzer: the JWS certmill signs from what others hand it — the CA's nonce,
// the URLs and account URL from its answers, a payload, and an External
// Account Binding's key id and MAC key from a user's Secret. Whatever the
// bytes, the result is an error or a flattened JWS, valid JSON, whose
// protected header decodes to what was given (bytes that are not UTF-8 as
// U+FFFD) and whose signature verifies with the
// account key (ES256 and RS256), and an EAB whose HS256 MAC is right.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "core/acme/base64url.hpp"
#include "core/acme/jwk.hpp"
#include "core/acme/jws.hpp"
#include "core/json/writer.hpp"
#include "core/pki/keys.hpp"

using namespace certmill;

namespace {

const pki::PrivateKey& key(api::PrivateKeyAlgorithm algorithm) {
  static const auto ec = pki::generate_private_key(
      {.algorithm = api::PrivateKeyAlgorithm::ECDSA, .bits = 256, .encoding = {}, .rotation = {}});
  static const auto rsa = pki::generate_private_key(
      {.algorithm = api::PrivateKeyAlgorithm::RSA, .bits = 2048, .encoding = {}, .rotation = {}});
  return algorithm == api::PrivateKeyAlgorithm::RSA ? *rsa : *ec;
}

// Fails the run: libFuzzer keeps the input that did it.
void require(bool ok) {
  if (!ok)
    std::abort();
}

std::string member(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  require(v != nullptr && v->is_string());
  return std::string(v->as_string());
}

// An ES256 signature in JWS's r||s form as the DER OpenSSL verifies.
std::string der_of_jws_ecdsa(const std::string& raw) {
  require(raw.size() == 64);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

bool verifies(EVP_PKEY* pkey, bool ec, const std::string& input, const std::string& signature) {
  const std::string sig = ec ? der_of_jws_ecdsa(signature) : signature;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// `text` as a JSON string carries it: itself when it is valid UTF-8, with
// U+FFFD for each byte that is not (what JsonWriter writes, read back).
std::string as_written(std::string_view text) {
  json::JsonWriter w;
  w.string(text);
  return std::string(boost::json::parse(w.take()).as_string());
}

// The input split at NUL bytes into the parts a request is made of.
std::string_view next_part(std::string_view& rest) {
  const auto nul = rest.find('\0');
  const std::string_view part = rest.substr(0, nul);
  rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const bool rsa = !rest.empty() && (rest.front() & 1);
  const acme::JwsHeader header{std::string(next_part(rest)), std::string(next_part(rest)),
                               std::string(next_part(rest))};
  const std::string payload(next_part(rest));
  const pki::PrivateKey& account =
      key(rsa ? api::PrivateKeyAlgorithm::RSA : api::PrivateKeyAlgorithm::ECDSA);

  if (auto jws = acme::sign_jws(account.get(), header, payload)) {
    const boost::json::object body = boost::json::parse(*jws).as_object();
    const std::string protected_b64 = member(body, "protected");
    const std::string payload_b64 = member(body, "payload");
    auto protected_json = acme::base64url_decode(protected_b64);
    require(protected_json.ok());
    const boost::json::object head = boost::json::parse(*protected_json).as_object();
    require(member(head, "alg") == (rsa ? "RS256" : "ES256"));
    require(member(head, "nonce") == as_written(header.nonce));
    require(member(head, "url") == as_written(header.url));
    if (header.kid.empty())
      require(head.contains("jwk"));
    else
      require(member(head, "kid") == as_written(header.kid));
    auto sent = acme::base64url_decode(payload_b64);
    require(sent.ok() && *sent == payload);  // the payload is bytes, sent as they are
    auto signature = acme::base64url_decode(member(body, "signature"));
    require(signature.ok());
    require(verifies(account.get(), !rsa, protected_b64 + "." + payload_b64, *signature));
  }

  const std::string key_id(next_part(rest));
  const std::string mac_key(next_part(rest));
  auto jwk = acme::jwk_of(account.get());
  require(jwk.ok());
  if (auto eab = acme::external_account_binding(key_id, mac_key, header.url, *jwk)) {
    const boost::json::object body = boost::json::parse(*eab).as_object();
    const std::string protected_b64 = member(body, "protected");
    const std::string payload_b64 = member(body, "payload");
    const boost::json::object head =
        boost::json::parse(*acme::base64url_decode(protected_b64)).as_object();
    require(member(head, "alg") == "HS256");
    require(member(head, "kid") == as_written(key_id));
    require(member(head, "url") == as_written(header.url));
    // What a Secret adds around a pasted key is not part of it.
    std::string_view trimmed = mac_key;
    while (!trimmed.empty() &&
           std::string_view("\r\n =").find(trimmed.back()) != std::string_view::npos)
      trimmed.remove_suffix(1);
    auto secret = acme::base64url_decode(trimmed);
    require(secret.ok());
    require(*acme::base64url_decode(member(body, "signature")) ==
            acme::hmac_sha256(*secret, protected_b64 + "." + payload_b64));
  }
  return 0;
}
