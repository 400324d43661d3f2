// A CA Issuer's Secret that cannot sign: each case a clear error naming the
// Secret and the cause, never a crash.
#include "core/pki/ca_keypair.hpp"

#include <catch2/catch.hpp>

#include "tests/pki/pki_fixtures.hpp"

using namespace certmill;
using namespace certmill::pki;
using namespace std::chrono;
using api::PrivateKeyAlgorithm;

namespace {

void check_error(const Result<CaKeyPair>& out, const std::string& cause) {
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error().message(), Catch::Contains("CA Secret ns/ca"));
  CHECK_THAT(out.error().message(), Catch::Contains(cause));
}

}  // namespace

TEST_CASE("a good CA Secret loads") {
  const test::TestCa ca = test::make_root_ca();
  auto pair = load_ca_key_pair(ca.tls_crt, ca.tls_key, test::fixed_now, "ns/ca");
  REQUIRE(pair.ok());
  CHECK(pair->chain.size() == 1);
  CHECK(pair->chain.front().info().subject.common_name == "certmill test root");
}

TEST_CASE("a CA Secret missing tls.crt or tls.key") {
  const test::TestCa ca = test::make_root_ca();
  check_error(load_ca_key_pair("", ca.tls_key, test::fixed_now, "ns/ca"), "has no tls.crt");
  check_error(load_ca_key_pair(ca.tls_crt, "", test::fixed_now, "ns/ca"), "has no tls.key");
  auto missing = load_ca_key_pair(ca.tls_crt, "", test::fixed_now, "ns/ca");
  CHECK(missing.error().code() == Errc::missing_field);
}

TEST_CASE("a CA Secret whose key does not match its certificate") {
  const test::TestCa ca = test::make_root_ca();
  const test::TestCa other = test::make_root_ca();
  check_error(
      load_ca_key_pair(ca.tls_crt, other.tls_key, test::fixed_now, "ns/ca"),
      "tls.key does not match the certificate in tls.crt (CN=certmill test root,O=certmill)");
}

TEST_CASE("a non-CA certificate used as a CA") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto leaf = sign_self_signed(test::request_for(test::leaf_spec(), key), key, {});
  REQUIRE(leaf.ok());
  const std::string key_pem = *encode_private_key(key, api::PrivateKeyEncoding::PKCS8);
  check_error(load_ca_key_pair(leaf->chain_pem, key_pem, test::fixed_now, "ns/ca"),
              "is not a CA (basicConstraints CA is false)");
}

TEST_CASE("garbage PEM in a CA Secret") {
  const test::TestCa ca = test::make_root_ca();
  check_error(load_ca_key_pair("garbage", ca.tls_key, test::fixed_now, "ns/ca"),
              "tls.crt holds no PEM block");
  check_error(load_ca_key_pair(ca.tls_crt,
                               "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE "
                               "KEY-----\n",
                               test::fixed_now, "ns/ca"),
              "tls.key is not valid PEM");
  check_error(load_ca_key_pair("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                               ca.tls_key, test::fixed_now, "ns/ca"),
              "certificate 1 does not decode");
  check_error(load_ca_key_pair(ca.tls_key, ca.tls_key, test::fixed_now, "ns/ca"),
              "tls.crt holds no CERTIFICATE block");
}

TEST_CASE("an expired or not yet valid CA") {
  const test::TestCa ca = test::make_root_ca(PrivateKeyAlgorithm::ECDSA, hours(24));
  check_error(load_ca_key_pair(ca.tls_crt, ca.tls_key, test::fixed_now + hours(25), "ns/ca"),
              "the CA certificate (CN=certmill test root,O=certmill) expired at "
              "2026-03-02T12:00:00Z");
  check_error(load_ca_key_pair(ca.tls_crt, ca.tls_key, test::fixed_now - hours(1), "ns/ca"),
              "is not valid before 2026-03-01T12:00:00Z");
  // A key pair loaded while valid refuses to sign once it has expired.
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto issued = sign_with_ca(test::request_for(test::leaf_spec(), key, test::fixed_now + hours(30)),
                             ca.pair, {});
  REQUIRE_FALSE(issued.ok());
  CHECK_THAT(issued.error().message(), Catch::Contains("expired at 2026-03-02T12:00:00Z"));
}
