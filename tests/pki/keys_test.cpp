// Private keys: cert-manager's defaults and limits, and every algorithm and
// encoding certmill writes read back by `openssl pkey`.
#include "core/pki/keys.hpp"

#include <catch2/catch.hpp>

#include "tests/pki/pki_fixtures.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::pki;
using api::PrivateKeyAlgorithm;
using api::PrivateKeyEncoding;

namespace {

api::CertificatePrivateKey spec(std::optional<PrivateKeyAlgorithm> algorithm, int size,
                                std::optional<PrivateKeyEncoding> encoding = std::nullopt) {
  api::CertificatePrivateKey k;
  k.algorithm = algorithm;
  k.size = size;
  k.encoding = encoding;
  return k;
}

}  // namespace

TEST_CASE("key_spec_for applies cert-manager's defaults") {
  struct Row {
    std::optional<api::CertificatePrivateKey> in;
    PrivateKeyAlgorithm algorithm;
    int bits;
    PrivateKeyEncoding encoding;
  };
  const Row rows[] = {
      {std::nullopt, PrivateKeyAlgorithm::RSA, 2048, PrivateKeyEncoding::PKCS1},
      {spec(std::nullopt, 0), PrivateKeyAlgorithm::RSA, 2048, PrivateKeyEncoding::PKCS1},
      {spec(PrivateKeyAlgorithm::RSA, 4096), PrivateKeyAlgorithm::RSA, 4096,
       PrivateKeyEncoding::PKCS1},
      {spec(PrivateKeyAlgorithm::ECDSA, 0), PrivateKeyAlgorithm::ECDSA, 256,
       PrivateKeyEncoding::PKCS1},
      {spec(PrivateKeyAlgorithm::ECDSA, 521, PrivateKeyEncoding::PKCS8), PrivateKeyAlgorithm::ECDSA,
       521, PrivateKeyEncoding::PKCS8},
      {spec(PrivateKeyAlgorithm::Ed25519, 0), PrivateKeyAlgorithm::Ed25519, 256,
       PrivateKeyEncoding::PKCS1},
      {spec(PrivateKeyAlgorithm::Ed25519, 4096), PrivateKeyAlgorithm::Ed25519, 256,
       PrivateKeyEncoding::PKCS1},
  };
  for (const Row& row : rows) {
    auto out = key_spec_for(row.in);
    REQUIRE(out.ok());
    CHECK(out->algorithm == row.algorithm);
    CHECK(out->bits == row.bits);
    CHECK(out->encoding == row.encoding);
    CHECK(out->rotation == api::RotationPolicy::Always);
  }
  auto keep = spec(PrivateKeyAlgorithm::RSA, 2048);
  keep.rotation_policy = api::RotationPolicy::Never;
  CHECK(key_spec_for(keep)->rotation == api::RotationPolicy::Never);
}

TEST_CASE("key_spec_for rejects key sizes cert-manager rejects, naming the size") {
  const std::pair<api::CertificatePrivateKey, std::string> rows[] = {
      {spec(PrivateKeyAlgorithm::RSA, 1024), "RSA key size 1024"},
      {spec(PrivateKeyAlgorithm::RSA, 16384), "RSA key size 16384"},
      {spec(std::nullopt, 512), "RSA key size 512"},
      {spec(PrivateKeyAlgorithm::ECDSA, 224), "ECDSA key size 224"},
      {spec(PrivateKeyAlgorithm::ECDSA, 2048), "ECDSA key size 2048"},
  };
  for (const auto& [in, cause] : rows) {
    auto out = key_spec_for(in);
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message(), Catch::Contains(cause));
    CHECK_THAT(out.error().message(), Catch::Contains("spec.privateKey.size"));
  }
}

TEST_CASE("every key type and encoding is read by openssl pkey") {
  struct Row {
    PrivateKeyAlgorithm algorithm;
    int bits;
    PrivateKeyEncoding encoding;
    std::string pem_type;
    std::string openssl_says;
  };
  const Row rows[] = {
      {PrivateKeyAlgorithm::RSA, 2048, PrivateKeyEncoding::PKCS1, "RSA PRIVATE KEY",
       "Private-Key: (2048 bit, 2 primes)"},
      {PrivateKeyAlgorithm::RSA, 2048, PrivateKeyEncoding::PKCS8, "PRIVATE KEY",
       "Private-Key: (2048 bit, 2 primes)"},
      {PrivateKeyAlgorithm::RSA, 3072, PrivateKeyEncoding::PKCS1, "RSA PRIVATE KEY",
       "Private-Key: (3072 bit, 2 primes)"},
      {PrivateKeyAlgorithm::RSA, 4096, PrivateKeyEncoding::PKCS8, "PRIVATE KEY",
       "Private-Key: (4096 bit, 2 primes)"},
      {PrivateKeyAlgorithm::ECDSA, 256, PrivateKeyEncoding::PKCS1, "EC PRIVATE KEY",
       "NIST CURVE: P-256"},
      {PrivateKeyAlgorithm::ECDSA, 256, PrivateKeyEncoding::PKCS8, "PRIVATE KEY",
       "NIST CURVE: P-256"},
      {PrivateKeyAlgorithm::ECDSA, 384, PrivateKeyEncoding::PKCS1, "EC PRIVATE KEY",
       "NIST CURVE: P-384"},
      {PrivateKeyAlgorithm::ECDSA, 521, PrivateKeyEncoding::PKCS8, "PRIVATE KEY",
       "NIST CURVE: P-521"},
      {PrivateKeyAlgorithm::Ed25519, 256, PrivateKeyEncoding::PKCS8, "PRIVATE KEY",
       "ED25519 Private-Key"},
      // Ed25519 has no PKCS#1 form; cert-manager writes PKCS#8 for it.
      {PrivateKeyAlgorithm::Ed25519, 256, PrivateKeyEncoding::PKCS1, "PRIVATE KEY",
       "ED25519 Private-Key"},
  };
  test::ScratchDir dir;
  for (const Row& row : rows) {
    INFO("algorithm " << static_cast<int>(row.algorithm) << " bits " << row.bits);
    auto key = generate_private_key(KeySpec{row.algorithm, row.bits, row.encoding});
    REQUIRE(key.ok());
    CHECK(key->algorithm() == row.algorithm);
    CHECK(key->bits() == row.bits);
    auto pem = encode_private_key(*key, row.encoding);
    REQUIRE(pem.ok());
    CHECK(pem->rfind("-----BEGIN " + row.pem_type + "-----\n", 0) == 0);

    const auto file = dir.write("key.pem", *pem);
    const auto out = test::openssl({"pkey", "-in", file, "-noout", "-text"});
    INFO(out.output);
    CHECK(out.status == 0);
    CHECK_THAT(out.output, Catch::Contains(row.openssl_says));
    const auto check = test::openssl({"pkey", "-in", file, "-noout", "-check"});
    INFO(check.output);
    CHECK(check.status == 0);

    auto back = parse_private_key(*pem, "tls.key");
    REQUIRE(back.ok());
    CHECK(public_keys_equal(back->get(), key->get()));
    CHECK(key_matches_spec(*back, KeySpec{row.algorithm, row.bits, row.encoding}));
  }
}

TEST_CASE("a key generated by openssl is read by certmill") {
  test::ScratchDir dir;
  const auto file = dir.path("ec.pem");
  REQUIRE(
      test::openssl({"ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", file}).status ==
      0);
  std::ifstream in(file);
  const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto key = parse_private_key(pem, "tls.key");
  REQUIRE(key.ok());
  CHECK(key->algorithm() == PrivateKeyAlgorithm::ECDSA);
  CHECK(key->bits() == 384);
}

TEST_CASE("key_matches_spec tells a key that no longer fits the spec") {
  auto ec = generate_private_key(KeySpec{PrivateKeyAlgorithm::ECDSA, 256});
  REQUIRE(ec.ok());
  CHECK(key_matches_spec(*ec, KeySpec{PrivateKeyAlgorithm::ECDSA, 256}));
  CHECK_FALSE(key_matches_spec(*ec, KeySpec{PrivateKeyAlgorithm::ECDSA, 384}));
  CHECK_FALSE(key_matches_spec(*ec, KeySpec{PrivateKeyAlgorithm::RSA, 2048}));
  CHECK_FALSE(key_matches_spec(*ec, KeySpec{PrivateKeyAlgorithm::Ed25519, 256}));
}

TEST_CASE("garbage where a key should be is an error naming the input, never the key") {
  const std::pair<std::string, std::string> rows[] = {
      {"", "holds no PEM block"},
      {"not a key at all", "holds no PEM block"},
      {"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
       "holds no private key block"},
      {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "does not decode"},
      {"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n",
       "not valid PEM"},
  };
  for (const auto& [text, cause] : rows) {
    auto key = parse_private_key(text, "tls.key of Secret ns/web");
    REQUIRE_FALSE(key.ok());
    CHECK_THAT(key.error().message(), Catch::Contains("tls.key of Secret ns/web"));
    CHECK_THAT(key.error().message(), Catch::Contains(cause));
  }
  auto ed = generate_private_key(KeySpec{PrivateKeyAlgorithm::Ed25519, 256});
  REQUIRE(ed.ok());
  const std::string pem = *encode_private_key(*ed, PrivateKeyEncoding::PKCS8);
  const std::string body = pem.substr(pem.find('\n') + 1, 20);
  // A key block that is cut short fails without echoing the key material.
  auto cut = parse_private_key(pem.substr(0, pem.size() - 40), "tls.key");
  REQUIRE_FALSE(cut.ok());
  CHECK_THAT(cut.error().message(), !Catch::Contains(body));
}

TEST_CASE("keys of every shape read in any order, failures between them included") {
  // Each thread reuses one decoder per block shape: a failed decode must
  // leave it able to read the next key, and shapes must not mix.
  const std::pair<PrivateKeyAlgorithm, int> kinds[] = {{PrivateKeyAlgorithm::ECDSA, 256},
                                                       {PrivateKeyAlgorithm::RSA, 2048},
                                                       {PrivateKeyAlgorithm::ECDSA, 384},
                                                       {PrivateKeyAlgorithm::Ed25519, 256}};
  std::vector<std::pair<std::string, const PrivateKey*>> pems;
  std::vector<PrivateKey> keys;
  keys.reserve(std::size(kinds));
  for (const auto& [algorithm, bits] : kinds) {
    keys.push_back(test::make_key(algorithm, bits));
    for (auto encoding : {PrivateKeyEncoding::PKCS1, PrivateKeyEncoding::PKCS8})
      pems.emplace_back(*encode_private_key(keys.back(), encoding), &keys.back());
  }
  const std::string broken_sec1 =
      "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n";
  const std::string broken_pkcs8 = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
  for (int round = 0; round < 3; ++round) {
    for (const auto& [pem, key] : pems) {
      CHECK_FALSE(parse_private_key(broken_sec1, "tls.key").ok());
      auto read = parse_private_key(pem, "tls.key");
      REQUIRE(read.ok());
      CHECK(public_keys_equal(read->get(), key->get()));
      CHECK(read->algorithm() == key->algorithm());
      CHECK_FALSE(parse_private_key(broken_pkcs8, "tls.key").ok());
    }
  }
}

TEST_CASE("a public key's fingerprint is the same wherever the key is read from") {
  for (const auto& [algorithm, bits] :
       {std::pair{PrivateKeyAlgorithm::ECDSA, 256}, std::pair{PrivateKeyAlgorithm::ECDSA, 521},
        std::pair{PrivateKeyAlgorithm::RSA, 2048}, std::pair{PrivateKeyAlgorithm::Ed25519, 256}}) {
    INFO("algorithm " << static_cast<int>(algorithm) << " bits " << bits);
    const PrivateKey key = test::make_key(algorithm, bits);
    const PrivateKey other = test::make_key(algorithm, bits);
    const std::string fingerprint = public_key_fingerprint(key.get());
    CHECK(fingerprint.starts_with(EVP_PKEY_get0_type_name(key.get())));
    CHECK(fingerprint.size() > 32);
    CHECK(public_key_fingerprint(other.get()) != fingerprint);
    for (auto encoding : {PrivateKeyEncoding::PKCS1, PrivateKeyEncoding::PKCS8}) {
      auto read = parse_private_key(*encode_private_key(key, encoding), "tls.key");
      REQUIRE(read.ok());
      CHECK(public_key_fingerprint(read->get()) == fingerprint);
    }
    // The public half alone, as a CSR or certificate carries it.
    const std::string der = public_key_der(key.get());
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    PkeyPtr public_only(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    REQUIRE(public_only);
    CHECK(public_key_fingerprint(public_only.get()) == fingerprint);
    CHECK(public_keys_equal(public_only.get(), key.get()));
    CHECK_FALSE(public_keys_equal(public_only.get(), other.get()));
  }
}
