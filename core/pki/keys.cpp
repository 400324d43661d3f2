// Key generation and encoding through OpenSSL's EVP interface.
#include "core/pki/keys.hpp"

#include <map>
#include <tuple>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/pem.h>

#include "core/pki/pem.hpp"

namespace certmill::pki {

using api::PrivateKeyAlgorithm;

Result<KeySpec> key_spec_for(const std::optional<api::CertificatePrivateKey>& spec) {
  KeySpec out;
  if (!spec)
    return out;
  out.algorithm = spec->algorithm.value_or(PrivateKeyAlgorithm::RSA);
  out.encoding = spec->encoding.value_or(api::PrivateKeyEncoding::PKCS1);
  out.rotation = spec->rotation_policy.value_or(api::RotationPolicy::Always);
  const int size = spec->size;
  switch (out.algorithm) {
    case PrivateKeyAlgorithm::RSA:
      out.bits = size == 0 ? 2048 : size;
      if (out.bits < 2048 || out.bits > 8192)
        return Error(Errc::invalid_value, "spec.privateKey.size: RSA key size " +
                                              std::to_string(size) +
                                              " is unsupported; use 2048 to 8192 bits");
      break;
    case PrivateKeyAlgorithm::ECDSA:
      out.bits = size == 0 ? 256 : size;
      if (out.bits != 256 && out.bits != 384 && out.bits != 521)
        return Error(Errc::invalid_value, "spec.privateKey.size: ECDSA key size " +
                                              std::to_string(size) +
                                              " is unsupported; use 256, 384 or 521");
      break;
    case PrivateKeyAlgorithm::Ed25519:
      out.bits = 256;
      break;
  }
  return out;
}

api::PrivateKeyAlgorithm PrivateKey::algorithm() const {
  switch (EVP_PKEY_get_base_id(key_.get())) {
    case EVP_PKEY_EC:
      return PrivateKeyAlgorithm::ECDSA;
    case EVP_PKEY_ED25519:
      return PrivateKeyAlgorithm::Ed25519;
    default:
      return PrivateKeyAlgorithm::RSA;
  }
}

int PrivateKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

Result<PrivateKey> generate_private_key(const KeySpec& spec) {
  EVP_PKEY* key = nullptr;
  switch (spec.algorithm) {
    case PrivateKeyAlgorithm::RSA:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(spec.bits));
      break;
    case PrivateKeyAlgorithm::ECDSA: {
      const char* curve = spec.bits == 384 ? "P-384" : spec.bits == 521 ? "P-521" : "P-256";
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
      break;
    }
    case PrivateKeyAlgorithm::Ed25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (key == nullptr)
    return ossl_error(Errc::invalid_value, "private key generation failed");
  return PrivateKey(PkeyPtr(key));
}

Result<std::string> encode_private_key(const PrivateKey& key, api::PrivateKeyEncoding encoding) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const bool pkcs1 =
      encoding == api::PrivateKeyEncoding::PKCS1 && key.algorithm() != PrivateKeyAlgorithm::Ed25519;
  const int ok =
      pkcs1 ? PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0,
                                                   nullptr, nullptr)
            : PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  if (ok != 1)
    return ossl_error(Errc::invalid_value, "cannot encode the private key");
  return bio_contents(bio.get());
}

namespace {

// OpenSSL 3.0 spends far more (time and allocations) building a decoder
// context than decoding with it, and every Secret the cache projects reads a
// key (bench_pki times both). So each thread keeps one context per block shape and
// reuses it, the decoded key landing in `out`.
class KeyDecoders {
 public:
  KeyDecoders() = default;
  KeyDecoders(const KeyDecoders&) = delete;
  KeyDecoders& operator=(const KeyDecoders&) = delete;
  ~KeyDecoders() {
    for (auto& [shape, ctx] : contexts_)
      OSSL_DECODER_CTX_free(ctx);
  }

  // The key that `der` holds, or null; `structure` and `type` as
  // OSSL_DECODER_CTX_new_for_pkey takes them (`type` may be null).
  PkeyPtr decode(std::string_view der, const char* structure, const char* type) {
    OSSL_DECODER_CTX*& ctx = contexts_[{structure, type ? type : ""}];
    if (ctx == nullptr) {
      ctx = OSSL_DECODER_CTX_new_for_pkey(&out_, "DER", structure, type, EVP_PKEY_KEYPAIR, nullptr,
                                          nullptr);
      if (ctx == nullptr)
        return nullptr;
    }
    out_ = nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::size_t len = der.size();
    const bool ok = OSSL_DECODER_from_data(ctx, &p, &len) == 1;
    PkeyPtr key(out_);
    out_ = nullptr;
    return ok ? std::move(key) : nullptr;
  }

 private:
  std::map<std::tuple<std::string, std::string>, OSSL_DECODER_CTX*> contexts_;
  EVP_PKEY* out_ = nullptr;  // where every context puts what it decodes
};

}  // namespace

Result<PrivateKey> parse_private_key(std::string_view pem, std::string_view what) {
  auto blocks = pem_decode(pem, what);
  if (!blocks)
    return blocks.error();
  thread_local KeyDecoders decoders;
  for (const PemBlock& block : *blocks) {
    if (block.type != "PRIVATE KEY" && block.type != "RSA PRIVATE KEY" &&
        block.type != "EC PRIVATE KEY")
      continue;
    const char* structure = block.type == "PRIVATE KEY" ? "PrivateKeyInfo" : "type-specific";
    const char* type = block.type == "RSA PRIVATE KEY"  ? "RSA"
                       : block.type == "EC PRIVATE KEY" ? "EC"
                                                        : nullptr;
    PkeyPtr key = decoders.decode(block.der, structure, type);
    if (!key)
      return ossl_error(Errc::invalid_value,
                        std::string(what) + ": the " + block.type + " block does not decode");
    return PrivateKey(std::move(key));
  }
  return Error(Errc::invalid_value, std::string(what) + " holds no private key block");
}

bool public_keys_equal(EVP_PKEY* a, EVP_PKEY* b) {
  return a != nullptr && b != nullptr && EVP_PKEY_eq(a, b) == 1;
}

bool key_matches_spec(const PrivateKey& key, const KeySpec& spec) {
  if (key.algorithm() != spec.algorithm)
    return false;
  return spec.algorithm == PrivateKeyAlgorithm::Ed25519 || key.bits() == spec.bits;
}

const EVP_MD* signature_digest(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return nullptr;
    case EVP_PKEY_EC:
      return bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
    default:
      return bits >= 4096 ? EVP_sha512() : bits >= 3072 ? EVP_sha384() : EVP_sha256();
  }
}

Result<const EVP_MD*> requested_signature_digest(std::string_view algorithm, EVP_PKEY* key) {
  if (algorithm.empty())
    return signature_digest(key);
  struct Known {
    std::string_view name;
    int key_type;
    const EVP_MD* (*digest)();
  };
  static const Known known[] = {
      {"SHA256WithRSA", EVP_PKEY_RSA, EVP_sha256},  {"SHA384WithRSA", EVP_PKEY_RSA, EVP_sha384},
      {"SHA512WithRSA", EVP_PKEY_RSA, EVP_sha512},  {"ECDSAWithSHA256", EVP_PKEY_EC, EVP_sha256},
      {"ECDSAWithSHA384", EVP_PKEY_EC, EVP_sha384}, {"ECDSAWithSHA512", EVP_PKEY_EC, EVP_sha512},
      {"PureEd25519", EVP_PKEY_ED25519, nullptr},
  };
  for (const Known& k : known) {
    if (k.name != algorithm)
      continue;
    if (EVP_PKEY_get_base_id(key) != k.key_type)
      return Error(Errc::invalid_value, "spec.signatureAlgorithm: " + std::string(algorithm) +
                                            " cannot sign with a key of type " +
                                            EVP_PKEY_get0_type_name(key));
    return k.digest != nullptr ? k.digest() : nullptr;
  }
  return Error(Errc::invalid_value,
               "spec.signatureAlgorithm: \"" + std::string(algorithm) + "\" is not supported");
}

std::string public_key_fingerprint(EVP_PKEY* key) {
  std::string out = EVP_PKEY_get0_type_name(key);
  out += ':';
  // EC and EdDSA keys give their encoded point at once; RSA has no such
  // parameter in OpenSSL 3.0 and is encoded whole.
  std::size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0,
                                      &length) == 1) {
    const std::size_t at = out.size();
    out.resize(at + length);
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        reinterpret_cast<unsigned char*>(out.data() + at), length,
                                        &length) == 1) {
      out.resize(at + length);
      return out;
    }
    out.resize(at);
  }
  ossl_clear_errors();
  return out + public_key_der(key);
}

std::string public_key_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0)
    return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace certmill::pki
