// CSRs: what cert-manager puts in a request for a Certificate, checked by
// `openssl req -verify` as an independent reader.
#include "core/pki/csr.hpp"

#include <catch2/catch.hpp>

#include "core/pki/pem.hpp"
#include "tests/pki/pki_fixtures.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::pki;
using api::PrivateKeyAlgorithm;

TEST_CASE("a CSR for every key type verifies with openssl req -verify") {
  test::ScratchDir dir;
  const std::pair<PrivateKeyAlgorithm, int> keys[] = {
      {PrivateKeyAlgorithm::RSA, 2048},  {PrivateKeyAlgorithm::RSA, 3072},
      {PrivateKeyAlgorithm::ECDSA, 256}, {PrivateKeyAlgorithm::ECDSA, 384},
      {PrivateKeyAlgorithm::ECDSA, 521}, {PrivateKeyAlgorithm::Ed25519, 0}};
  for (const auto& [algorithm, bits] : keys) {
    INFO("algorithm " << static_cast<int>(algorithm) << " bits " << bits);
    const PrivateKey key = test::make_key(algorithm, bits);
    auto csr = build_csr(test::leaf_spec(), key);
    REQUIRE(csr.ok());
    const auto out =
        test::openssl({"req", "-verify", "-noout", "-text", "-in", dir.write("req.pem", *csr)});
    INFO(out.output);
    CHECK(out.status == 0);
    CHECK_THAT(out.output, Catch::Contains("verify OK") ||
                               Catch::Contains("Certificate request self-signature verify OK"));
    CHECK_THAT(out.output, Catch::Contains("CN = web.example.com"));
    CHECK_THAT(out.output, Catch::Contains("DNS:web.example.com, DNS:www.example.com, "
                                           "email:ops@example.com, IP Address:10.0.0.7, "
                                           "IP Address:2001:DB8:0:0:0:0:0:1, "
                                           "URI:spiffe://cluster.local/ns/web/sa/web"));
    CHECK_THAT(out.output, Catch::Contains("Digital Signature, Key Encipherment"));
    CHECK_THAT(out.output, Catch::Contains("TLS Web Server Authentication, TLS Web Client "
                                           "Authentication"));
    auto parsed = parse_csr(*csr);
    REQUIRE(parsed.ok());
    CHECK(parsed->subject.common_name == "web.example.com");
    CHECK(parsed->extensions.sans == requested_sans(test::leaf_spec()));
    CHECK(parsed->extensions.key_usage == (ku_digital_signature | ku_key_encipherment));
    CHECK_FALSE(parsed->extensions.sans_critical);
  }
}

TEST_CASE("a CSR carries the subject fields in Go's order") {
  api::CertificateSpec s;
  s.common_name = "svc";
  s.subject = api::X509Subject{};
  s.subject->organizations = {"Example Inc", "Example Group"};
  s.subject->countries = {"DE"};
  s.subject->organizational_units = {"Platform"};
  s.subject->localities = {"Berlin"};
  s.subject->provinces = {"Berlin"};
  s.subject->street_addresses = {"Main St 1"};
  s.subject->postal_codes = {"10115"};
  s.subject->serial_number = "42";
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto csr = build_csr(s, key);
  REQUIRE(csr.ok());
  test::ScratchDir dir;
  const auto out = test::openssl(
      {"req", "-noout", "-subject", "-nameopt", "RFC2253", "-in", dir.write("req.pem", *csr)});
  INFO(out.output);
  CHECK(out.status == 0);
  // RFC 2253 prints the last RDN first; two organizations share one RDN.
  CHECK_THAT(
      out.output,
      Catch::Contains("serialNumber=42,CN=svc,OU=Platform,O=Example Group+O=Example Inc,"
                      "postalCode=10115,street=Main St 1,L=Berlin,ST=Berlin,C=DE") ||
          Catch::Contains("serialNumber=42,CN=svc,OU=Platform,O=Example Inc+O=Example "
                          "Group,postalCode=10115,street=Main St 1,L=Berlin,ST=Berlin,C=DE"));
  auto parsed = parse_csr(*csr);
  REQUIRE(parsed.ok());
  CHECK(parsed->subject == requested_name(s));
}

TEST_CASE("usages follow cert-manager's defaults and encodeUsagesInRequest") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec s;
  s.dns_names = {"a.example"};
  SECTION("no usages: digital signature and key encipherment, for any key type") {
    auto parsed = parse_csr(*build_csr(s, key));
    REQUIRE(parsed.ok());
    CHECK(parsed->extensions.key_usage == (ku_digital_signature | ku_key_encipherment));
    CHECK_FALSE(parsed->extensions.extended_key_usage.has_value());
  }
  SECTION("isCA adds cert sign") {
    s.is_ca = true;
    auto parsed = parse_csr(*build_csr(s, key));
    REQUIRE(parsed.ok());
    CHECK(parsed->extensions.key_usage ==
          (ku_digital_signature | ku_key_encipherment | ku_cert_sign));
  }
  SECTION("encodeUsagesInRequest false leaves them out") {
    s.encode_usages_in_request = false;
    auto parsed = parse_csr(*build_csr(s, key));
    REQUIRE(parsed.ok());
    CHECK_FALSE(parsed->extensions.key_usage.has_value());
    CHECK_FALSE(parsed->extensions.extended_key_usage.has_value());
  }
  SECTION("only extended usages: no key usage extension") {
    s.usages = {api::KeyUsage::ServerAuth};
    auto parsed = parse_csr(*build_csr(s, key));
    REQUIRE(parsed.ok());
    CHECK_FALSE(parsed->extensions.key_usage.has_value());
    CHECK(parsed->extensions.extended_key_usage == std::vector<int>{NID_server_auth});
  }
}

TEST_CASE("with an empty subject the SAN extension is critical") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec s;
  s.uris = {"spiffe://trust/workload"};
  auto parsed = parse_csr(*build_csr(s, key));
  REQUIRE(parsed.ok());
  CHECK(parsed->extensions.sans_critical);
  CHECK(parsed->extensions.sans.uris == s.uris);
}

TEST_CASE("a CSR that cannot be built names the cause") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec none;
  auto out = build_csr(none, key);
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error().message(), Catch::Contains("at least one of commonName"));

  api::CertificateSpec bad_ip;
  bad_ip.ip_addresses = {"10.0.0.300"};
  out = build_csr(bad_ip, key);
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error().message(), Catch::Contains("\"10.0.0.300\" is not an IP address"));

  api::CertificateSpec bad_uri;
  bad_uri.uris = {"no-scheme"};
  out = build_csr(bad_uri, key);
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error().message(), Catch::Contains("\"no-scheme\" has no scheme"));
}

TEST_CASE("parse_csr rejects garbage and a CSR whose signature does not verify") {
  auto garbage = parse_csr("hello");
  REQUIRE_FALSE(garbage.ok());
  CHECK_THAT(garbage.error().message(), Catch::Contains("no PEM block"));

  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto csr = build_csr(test::leaf_spec(), key);
  REQUIRE(csr.ok());
  auto blocks = pem_decode(*csr, "csr");
  REQUIRE(blocks.ok());
  std::string der = blocks->front().der;
  der[der.size() - 5] ^= 0x01;  // a bit of the signature
  auto tampered = parse_csr(pem_encode("CERTIFICATE REQUEST", der));
  REQUIRE_FALSE(tampered.ok());
  CHECK_THAT(tampered.error().message(), Catch::Contains("signature does not verify"));
  // read_csr, which skips the signature, still reads what it asks for.
  auto read = read_csr(pem_encode("CERTIFICATE REQUEST", der));
  REQUIRE(read.ok());
  CHECK(read->subject == parse_csr(*csr)->subject);
  CHECK(public_keys_equal(X509_REQ_get0_pubkey(read->req.get()), key.get()));
  CHECK_THAT(read_csr("hello").error().message(), Catch::Contains("no PEM block"));
}

TEST_CASE("spec.signatureAlgorithm picks the CSR's digest when it fits the key") {
  const std::tuple<PrivateKeyAlgorithm, int, std::string, std::string> ok[] = {
      {PrivateKeyAlgorithm::RSA, 2048, "SHA512WithRSA", "sha512WithRSAEncryption"},
      {PrivateKeyAlgorithm::RSA, 2048, "", "sha256WithRSAEncryption"},
      {PrivateKeyAlgorithm::ECDSA, 256, "ECDSAWithSHA384", "ecdsa-with-SHA384"},
      {PrivateKeyAlgorithm::ECDSA, 384, "", "ecdsa-with-SHA384"},
      {PrivateKeyAlgorithm::Ed25519, 0, "PureEd25519", "ED25519"},
  };
  test::ScratchDir dir;
  for (const auto& [algorithm, bits, requested, printed] : ok) {
    INFO(requested);
    api::CertificateSpec s;
    s.common_name = "sig";
    s.signature_algorithm = requested;
    auto csr = build_csr(s, test::make_key(algorithm, bits));
    REQUIRE(csr.ok());
    const auto out =
        test::openssl({"req", "-verify", "-noout", "-text", "-in", dir.write("r.pem", *csr)});
    CHECK(out.status == 0);
    CHECK_THAT(out.output, Catch::Contains("Signature Algorithm: " + printed));
  }
  const std::tuple<PrivateKeyAlgorithm, std::string, std::string> bad[] = {
      {PrivateKeyAlgorithm::ECDSA, "SHA256WithRSA",
       "SHA256WithRSA cannot sign with a key of type EC"},
      {PrivateKeyAlgorithm::RSA, "PureEd25519", "PureEd25519 cannot sign with a key of type RSA"},
      {PrivateKeyAlgorithm::ECDSA, "MD5WithRSA", "\"MD5WithRSA\" is not supported"},
  };
  for (const auto& [algorithm, requested, cause] : bad) {
    api::CertificateSpec s;
    s.common_name = "sig";
    s.signature_algorithm = requested;
    auto csr = build_csr(s, test::make_key(algorithm));
    REQUIRE_FALSE(csr.ok());
    CHECK_THAT(csr.error().message(), Catch::Contains("spec.signatureAlgorithm: " + cause));
  }
}

TEST_CASE("spec.literalSubject is encoded exactly as written") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  test::ScratchDir dir;
  const std::pair<std::string, std::string> rows[] = {
      // RFC 4514 lists the last RDN first; openssl's RFC2253 output does too.
      {"CN=app,O=Example\\, Inc.,C=DE", "CN=app,O=Example\\, Inc.,C=DE"},
      {"CN=app+UID=42,DC=example,DC=com", "UID=42+CN=app,DC=example,DC=com"},
      {"CN = spaced , O=x", "CN=spaced,O=x"},
      {"2.5.4.3=by-oid,OU=\\2Bplus", "CN=by-oid,OU=\\+plus"},
      {"SERIALNUMBER=1234,CN=n", "serialNumber=1234,CN=n"},
  };
  for (const auto& [literal, printed] : rows) {
    INFO(literal);
    api::CertificateSpec s;
    s.literal_subject = literal;
    auto csr = build_csr(s, key);
    REQUIRE(csr.ok());
    const auto out = test::openssl(
        {"req", "-noout", "-subject", "-nameopt", "RFC2253", "-in", dir.write("r.pem", *csr)});
    CHECK(out.output == "subject=" + printed + "\n");
  }
  const std::pair<std::string, std::string> bad[] = {
      {"CN=app,", "expected TYPE=value"},
      {"app", "expected TYPE=value"},
      {"XX=1", "unknown attribute type \"XX\""},
      {"CN=#0403616263", "hex-encoded values"},
      {"CN=a\\", "trailing backslash"},
      {"O=only-org", "at least one of commonName (or a CN in literalSubject)"},
  };
  for (const auto& [literal, cause] : bad) {
    INFO(literal);
    api::CertificateSpec s;
    s.literal_subject = literal;
    auto csr = build_csr(s, key);
    REQUIRE_FALSE(csr.ok());
    CHECK_THAT(csr.error().message(), Catch::Contains(cause));
  }
}
