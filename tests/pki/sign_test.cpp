// Issuing: the documented bootstrap (SelfSigned root → CA issuer → leaf), an
// intermediate CA, and what `openssl verify` and `openssl x509 -text` say
// about the results.
#include "core/pki/sign.hpp"

#include <catch2/catch.hpp>

#include "core/pki/csr.hpp"
#include "core/pki/extensions.hpp"
#include "core/pki/x509.hpp"
#include "tests/pki/pki_fixtures.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::pki;
using namespace std::chrono;
using api::PrivateKeyAlgorithm;

namespace {

std::vector<Certificate> certs_of(const std::string& pem) {
  auto certs = parse_certificates(pem, "test");
  REQUIRE(certs.ok());
  return std::move(*certs);
}

// `openssl verify` at a chosen time, trusting ca.crt, with tls.crt's
// intermediates as untrusted helpers.
test::CommandResult verify(const test::ScratchDir& dir, const PemBundle& bundle, Time at) {
  const auto certs = certs_of(bundle.chain_pem);
  const auto leaf = dir.write("leaf.pem", certs.front().pem());
  const auto chain = dir.write("chain.pem", bundle.chain_pem);
  const auto ca = dir.write("ca.pem", bundle.ca_pem);
  return test::openssl({"verify", "-attime", std::to_string(at.time_since_epoch().count()),
                        "-CAfile", ca, "-untrusted", chain, leaf});
}

}  // namespace

TEST_CASE("bootstrap: SelfSigned root, then a CA issuer signs leaves that openssl verifies") {
  const test::TestCa ca = test::make_root_ca();
  test::ScratchDir dir;
  {
    // The root: self-signed, isCA, and its own ca.crt.
    const auto root = certs_of(ca.tls_crt);
    REQUIRE(root.size() == 1);
    CHECK(root.front().info().self_signed);
    CHECK(root.front().info().is_ca);
    CHECK(root.front().info().subject_key_id.size() == 20);
    CHECK(root.front().info().authority_key_id.empty());
    const auto out =
        test::openssl({"x509", "-noout", "-text", "-in", dir.write("root.pem", ca.tls_crt)});
    INFO(out.output);
    CHECK_THAT(out.output, Catch::Contains("CA:TRUE"));
    CHECK_THAT(out.output, Catch::Contains("Certificate Sign"));
  }
  const PrivateKeyAlgorithm algorithms[] = {PrivateKeyAlgorithm::RSA, PrivateKeyAlgorithm::ECDSA,
                                            PrivateKeyAlgorithm::Ed25519};
  for (PrivateKeyAlgorithm algorithm : algorithms) {
    INFO("leaf algorithm " << static_cast<int>(algorithm));
    const PrivateKey key = test::make_key(algorithm);
    auto issued = sign_with_ca(test::request_for(test::leaf_spec(), key), ca.pair, {});
    REQUIRE(issued.ok());
    // The root is self-signed, so tls.crt is the leaf alone and ca.crt the root.
    CHECK(certs_of(issued->chain_pem).size() == 1);
    CHECK(issued->ca_pem == ca.tls_crt);
    const auto out = verify(dir, *issued, test::fixed_now + hours(1));
    INFO(out.output);
    CHECK(out.status == 0);
    CHECK_THAT(out.output, Catch::Contains(": OK"));
  }
}

TEST_CASE("every CA key type signs every leaf key type, and openssl verifies each") {
  const PrivateKeyAlgorithm algorithms[] = {PrivateKeyAlgorithm::RSA, PrivateKeyAlgorithm::ECDSA,
                                            PrivateKeyAlgorithm::Ed25519};
  test::ScratchDir dir;
  for (PrivateKeyAlgorithm ca_algorithm : algorithms) {
    const test::TestCa ca = test::make_root_ca(ca_algorithm);
    for (PrivateKeyAlgorithm leaf_algorithm : algorithms) {
      INFO("CA " << static_cast<int>(ca_algorithm) << " leaf " << static_cast<int>(leaf_algorithm));
      const PrivateKey key = test::make_key(leaf_algorithm);
      auto issued = sign_with_ca(test::request_for(test::leaf_spec(), key), ca.pair, {});
      REQUIRE(issued.ok());
      const auto out = verify(dir, *issued, test::fixed_now + hours(1));
      INFO(out.output);
      CHECK(out.status == 0);
      // Outside the validity window the same chain is rejected.
      CHECK(verify(dir, *issued, test::fixed_now + hours(24 * 91)).status != 0);
    }
  }
}

TEST_CASE("openssl x509 -text shows the spec's SANs, usages, constraints and validity") {
  const test::TestCa ca = test::make_root_ca(PrivateKeyAlgorithm::RSA);
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec spec = test::leaf_spec();
  spec.duration = hours(24 * 30);
  auto issued = sign_with_ca(
      test::request_for(spec, key), ca.pair,
      {{"http://crl.example/ca.crl"}, {"http://ocsp.example"}, {"http://ca.example/ca.crt"}});
  REQUIRE(issued.ok());
  test::ScratchDir dir;
  const auto out =
      test::openssl({"x509", "-noout", "-text", "-in", dir.write("leaf.pem", issued->chain_pem)});
  INFO(out.output);
  REQUIRE(out.status == 0);
  CHECK_THAT(out.output, Catch::Contains("Subject: CN = web.example.com"));
  CHECK_THAT(out.output, Catch::Contains("Issuer: O = certmill, CN = certmill test root"));
  CHECK_THAT(out.output, Catch::Contains("DNS:web.example.com, DNS:www.example.com, "
                                         "email:ops@example.com, IP Address:10.0.0.7, "
                                         "IP Address:2001:DB8:0:0:0:0:0:1, "
                                         "URI:spiffe://cluster.local/ns/web/sa/web"));
  CHECK_THAT(out.output, Catch::Contains("X509v3 Key Usage: critical\n"
                                         "                Digital Signature, Key Encipherment"));
  CHECK_THAT(out.output, Catch::Contains("TLS Web Server Authentication, TLS Web Client "
                                         "Authentication"));
  CHECK_THAT(out.output, Catch::Contains("X509v3 Basic Constraints: critical\n"
                                         "                CA:FALSE"));
  CHECK_THAT(out.output, Catch::Contains("Not Before: Mar  1 12:00:00 2026 GMT"));
  CHECK_THAT(out.output, Catch::Contains("Not After : Mar 31 12:00:00 2026 GMT"));
  CHECK_THAT(out.output, Catch::Contains("Signature Algorithm: sha256WithRSAEncryption"));
  CHECK_THAT(out.output, Catch::Contains("URI:http://crl.example/ca.crl"));
  CHECK_THAT(out.output, Catch::Contains("OCSP - URI:http://ocsp.example"));
  CHECK_THAT(out.output, Catch::Contains("CA Issuers - URI:http://ca.example/ca.crt"));
  CHECK_THAT(out.output, Catch::Contains("X509v3 Authority Key Identifier"));

  const CertificateInfo info = certs_of(issued->chain_pem).front().info();
  CHECK(info.not_before == test::fixed_now);
  CHECK(info.not_after == test::fixed_now + hours(24 * 30));
  CHECK(info.sans == requested_sans(spec));
  CHECK(info.key_usage == (ku_digital_signature | ku_key_encipherment));
  CHECK(info.extended_key_usage == std::vector<int>{NID_server_auth, NID_client_auth});
  CHECK_FALSE(info.is_ca);
  CHECK(info.authority_key_id == ca.pair.chain.front().info().subject_key_id);
  CHECK(info.serial_hex.size() >= 28);  // 128 random bits, rarely many leading zeros
  CHECK(key_matches_certificate(key, certs_of(issued->chain_pem).front()));
}

TEST_CASE("the signature digest follows the CA key, as Go's crypto/x509 chooses it") {
  const std::tuple<PrivateKeyAlgorithm, int, std::string> rows[] = {
      {PrivateKeyAlgorithm::ECDSA, 256, "ecdsa-with-SHA256"},
      {PrivateKeyAlgorithm::ECDSA, 384, "ecdsa-with-SHA384"},
      {PrivateKeyAlgorithm::ECDSA, 521, "ecdsa-with-SHA512"},
      {PrivateKeyAlgorithm::RSA, 3072, "sha384WithRSAEncryption"},
      {PrivateKeyAlgorithm::Ed25519, 0, "ED25519"},
  };
  test::ScratchDir dir;
  for (const auto& [algorithm, bits, name] : rows) {
    const PrivateKey key = test::make_key(algorithm, bits);
    api::CertificateSpec s;
    s.common_name = "self";
    auto issued = sign_self_signed(test::request_for(s, key), key, {});
    REQUIRE(issued.ok());
    const auto out =
        test::openssl({"x509", "-noout", "-text", "-in", dir.write("c.pem", issued->chain_pem)});
    CHECK_THAT(out.output, Catch::Contains("Signature Algorithm: " + name));
  }
}

TEST_CASE("an intermediate CA: tls.crt is leaf + intermediate, ca.crt the root") {
  const test::TestCa root = test::make_root_ca();
  const PrivateKey inter_key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec inter_spec;
  inter_spec.common_name = "certmill intermediate";
  inter_spec.is_ca = true;
  inter_spec.duration = hours(24 * 100);
  auto inter = sign_with_ca(test::request_for(inter_spec, inter_key), root.pair, {});
  REQUIRE(inter.ok());
  CHECK(certs_of(inter->chain_pem).size() == 1);
  auto inter_pair = load_ca_key_pair(inter->chain_pem + inter->ca_pem,
                                     *encode_private_key(inter_key, api::PrivateKeyEncoding::PKCS8),
                                     test::fixed_now, "ns/intermediate");
  REQUIRE(inter_pair.ok());

  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::RSA);
  auto leaf = sign_with_ca(test::request_for(test::leaf_spec(), key), *inter_pair, {});
  REQUIRE(leaf.ok());
  const auto chain = certs_of(leaf->chain_pem);
  REQUIRE(chain.size() == 2);
  CHECK(chain[0].info().subject.common_name == "web.example.com");
  CHECK(chain[1].info().subject.common_name == "certmill intermediate");
  CHECK(leaf->ca_pem == root.tls_crt);
  // cert-manager caps the leaf at the CA chain's earliest notAfter.
  CHECK(chain[0].info().not_after == test::fixed_now + hours(24 * 90));
  test::ScratchDir dir;
  const auto out = verify(dir, *leaf, test::fixed_now + hours(1));
  INFO(out.output);
  CHECK(out.status == 0);
}

TEST_CASE("a leaf never outlives its CA") {
  const test::TestCa ca = test::make_root_ca(PrivateKeyAlgorithm::ECDSA, hours(24 * 10));
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto issued = sign_with_ca(test::request_for(test::leaf_spec(), key), ca.pair, {});
  REQUIRE(issued.ok());
  CHECK(certs_of(issued->chain_pem).front().info().not_after ==
        ca.pair.chain.front().info().not_after);
}

TEST_CASE("serial numbers are random per certificate") {
  const test::TestCa ca = test::make_root_ca();
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  const auto request = test::request_for(test::leaf_spec(), key);
  auto a = sign_with_ca(request, ca.pair, {});
  auto b = sign_with_ca(request, ca.pair, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(certs_of(a->chain_pem).front().info().serial_hex !=
        certs_of(b->chain_pem).front().info().serial_hex);
}

TEST_CASE("the request's usages and isCA must agree with what the CSR encodes") {
  const test::TestCa ca = test::make_root_ca();
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  SigningRequest request = test::request_for(test::leaf_spec(), key);
  request.usages = {api::KeyUsage::DigitalSignature};
  auto issued = sign_with_ca(request, ca.pair, {});
  REQUIRE_FALSE(issued.ok());
  CHECK_THAT(issued.error().message(),
             Catch::Contains("the CSR encodes usages [Digital Signature, Key Encipherment, TLS "
                             "Web Server Authentication, TLS Web Client Authentication] but the "
                             "request asks for [Digital Signature]"));

  // Without usages in the CSR, the request decides.
  api::CertificateSpec plain = test::leaf_spec();
  plain.encode_usages_in_request = false;
  SigningRequest r2 = test::request_for(plain, key);
  r2.usages = {api::KeyUsage::DigitalSignature};
  auto ok = sign_with_ca(r2, ca.pair, {});
  REQUIRE(ok.ok());
  CHECK(certs_of(ok->chain_pem).front().info().key_usage == ku_digital_signature);
}

TEST_CASE("self-signing with a key that is not the CSR's is an error") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  const PrivateKey other = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto issued = sign_self_signed(test::request_for(test::leaf_spec(), key), other, {});
  REQUIRE_FALSE(issued.ok());
  CHECK_THAT(issued.error().message(), Catch::Contains("does not match the private key"));
}

TEST_CASE("a self-signed leaf verifies against itself and carries its CRL distribution point") {
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto issued = sign_self_signed(test::request_for(test::leaf_spec(), key), key,
                                 {{"http://crl.example/self.crl"}, {}, {}});
  REQUIRE(issued.ok());
  CHECK(issued->ca_pem == issued->chain_pem);
  test::ScratchDir dir;
  const auto file = dir.write("self.pem", issued->chain_pem);
  const auto out = test::openssl(
      {"verify", "-attime", std::to_string((test::fixed_now + hours(1)).time_since_epoch().count()),
       "-CAfile", file, file});
  INFO(out.output);
  CHECK(out.status == 0);
  const auto text = test::openssl({"x509", "-noout", "-text", "-in", file});
  CHECK_THAT(text.output, Catch::Contains("URI:http://crl.example/self.crl"));
}

TEST_CASE(
    "a CA's nameConstraints and otherNames are in its certificate, and openssl enforces them") {
  const test::TestCa root = test::make_root_ca();
  const PrivateKey inter_key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec inter_spec;
  inter_spec.common_name = "constrained intermediate";
  inter_spec.is_ca = true;
  inter_spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", "ops@example.com"}};
  api::NameConstraints constraints;
  constraints.critical = true;
  constraints.permitted =
      api::NameConstraintItem{{"example.com"}, {"10.0.0.0/8", "2001:db8::/32"}, {}, {}};
  constraints.excluded = api::NameConstraintItem{{"secret.example.com"}, {}, {}, {}};
  inter_spec.name_constraints = constraints;
  auto inter = sign_with_ca(test::request_for(inter_spec, inter_key), root.pair, {});
  REQUIRE(inter.ok());
  test::ScratchDir dir;
  const auto text =
      test::openssl({"x509", "-noout", "-text", "-in", dir.write("inter.pem", inter->chain_pem)});
  INFO(text.output);
  CHECK_THAT(text.output, Catch::Contains("X509v3 Name Constraints: critical"));
  CHECK_THAT(text.output, Catch::Contains("DNS:example.com"));
  CHECK_THAT(text.output, Catch::Contains("IP:10.0.0.0/255.0.0.0"));
  CHECK_THAT(text.output, Catch::Contains("DNS:secret.example.com"));
  CHECK_THAT(text.output, Catch::Contains("ops@example.com"));
  const auto certs = certs_of(inter->chain_pem);
  CHECK(certs.front().info().sans.other_names == inter_spec.other_names);

  // Leaves from the intermediate: openssl accepts names inside the permitted
  // subtree and refuses the excluded one and those outside.
  auto key_pem = encode_private_key(inter_key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(key_pem.ok());
  auto pair = load_ca_key_pair(certs.front().pem(), *key_pem, test::fixed_now, "ns/inter");
  REQUIRE(pair.ok());
  auto leaf_for = [&](const std::string& name) {
    api::CertificateSpec spec;
    spec.dns_names = {name};
    auto leaf = sign_with_ca(test::request_for(spec, test::make_key(PrivateKeyAlgorithm::ECDSA)),
                             *pair, {});
    REQUIRE(leaf.ok());
    const auto leaf_pem = dir.write("leaf.pem", certs_of(leaf->chain_pem).front().pem());
    return test::openssl({"verify", "-attime",
                          std::to_string((test::fixed_now + hours(1)).time_since_epoch().count()),
                          "-CAfile", dir.write("root.pem", root.tls_crt), "-untrusted",
                          dir.write("inter-only.pem", certs.front().pem()), leaf_pem});
  };
  const auto inside = leaf_for("web.example.com");
  INFO(inside.output);
  CHECK(inside.status == 0);
  const auto excluded = leaf_for("secret.example.com");
  INFO(excluded.output);
  CHECK(excluded.status != 0);
  CHECK_THAT(excluded.output, Catch::Contains("excluded subtree violation"));
  const auto outside = leaf_for("web.example.org");
  INFO(outside.output);
  CHECK(outside.status != 0);
  CHECK_THAT(outside.output, Catch::Contains("permitted subtree violation"));
}

TEST_CASE("name constraints read back from a certificate say what the spec said, in any order") {
  const test::TestCa root = test::make_root_ca();
  api::NameConstraints constraints;
  constraints.permitted =
      api::NameConstraintItem{{"example.com", "example.org"}, {"10.0.0.0/8"}, {}, {}};
  constraints.excluded = api::NameConstraintItem{{"secret.example.com"}, {}, {}, {}};
  api::CertificateSpec spec;
  spec.common_name = "constrained";
  spec.is_ca = true;
  spec.name_constraints = constraints;
  auto signed_ = sign_with_ca(test::request_for(spec, test::make_key(PrivateKeyAlgorithm::ECDSA)),
                              root.pair, {});
  REQUIRE(signed_.ok());
  const std::string read = certs_of(signed_->chain_pem).front().info().name_constraints;
  CHECK(read == name_constraints_text(constraints));
  // The CSR carries the same.
  auto csr = build_csr(spec, test::make_key(PrivateKeyAlgorithm::ECDSA));
  REQUIRE(csr.ok());
  CHECK(read_csr(*csr)->extensions.name_constraints == read);
  // Lists reordered: the same; a change of any kind: not.
  api::NameConstraints reordered = constraints;
  reordered.permitted->dns_domains = {"example.org", "example.com"};
  CHECK(name_constraints_text(reordered) == read);
  api::NameConstraints critical = constraints;
  critical.critical = true;
  api::NameConstraints narrower = constraints;
  narrower.permitted->ip_ranges = {"10.1.0.0/16"};
  api::NameConstraints moved = constraints;
  moved.excluded.reset();
  for (const auto& other : {critical, narrower, moved})
    CHECK(name_constraints_text(other) != read);
  // A certificate without any says nothing.
  CHECK(root.pair.chain.front().info().name_constraints.empty());
}

TEST_CASE("a name constraint's IP range that is not CIDR is an error naming it") {
  api::CertificateSpec spec;
  spec.common_name = "ca";
  spec.is_ca = true;
  api::NameConstraints constraints;
  constraints.permitted = api::NameConstraintItem{{}, {"10.0.0.0"}, {}, {}};
  spec.name_constraints = constraints;
  auto csr = build_csr(spec, test::make_key(PrivateKeyAlgorithm::ECDSA));
  REQUIRE_FALSE(csr.ok());
  CHECK_THAT(csr.error().message(), Catch::Contains("\"10.0.0.0\" is not an IP range"));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "nope/8", "2001:db8::/129"})
    CHECK_FALSE(parse_ip_range(bad).ok());
  CHECK(parse_ip_range("10.0.0.0/8").value() == std::string("\x0a\0\0\0\xff\0\0\0", 8));
  CHECK(parse_ip_range("192.168.1.0/23").value().substr(4) == std::string("\xff\xff\xfe\0", 4));
}
