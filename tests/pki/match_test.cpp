// The reconciler's view: does an issued certificate still match its spec, and
// may the existing key be kept?
#include "core/pki/match.hpp"

#include <catch2/catch.hpp>

#include "tests/pki/pki_fixtures.hpp"

using namespace certmill;
using namespace certmill::pki;
using api::PrivateKeyAlgorithm;

TEST_CASE("a certificate issued for a spec matches it, and each changed field is named") {
  const test::TestCa ca = test::make_root_ca();
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  const api::CertificateSpec spec = test::leaf_spec();
  auto issued = sign_with_ca(test::request_for(spec, key), ca.pair, {});
  REQUIRE(issued.ok());
  const CertificateInfo info = parse_certificate(issued->chain_pem, "leaf")->info();
  CHECK(certificate_mismatches(spec, info).empty());

  struct Row {
    const char* field;
    void (*change)(api::CertificateSpec&);
  };
  const Row rows[] = {
      {"spec.commonName", [](api::CertificateSpec& s) { s.common_name = "other"; }},
      {"spec.dnsNames", [](api::CertificateSpec& s) { s.dns_names.push_back("new.example"); }},
      {"spec.ipAddresses", [](api::CertificateSpec& s) { s.ip_addresses = {"10.0.0.8"}; }},
      {"spec.uris", [](api::CertificateSpec& s) { s.uris.clear(); }},
      {"spec.emailAddresses", [](api::CertificateSpec& s) { s.email_addresses = {"a@b.c"}; }},
      {"spec.subject",
       [](api::CertificateSpec& s) {
         s.subject = api::X509Subject{};
         s.subject->organizations = {"Org"};
       }},
      {"spec.isCA", [](api::CertificateSpec& s) { s.is_ca = true; }},
      {"spec.usages", [](api::CertificateSpec& s) { s.usages = {}; }},
  };
  for (const Row& row : rows) {
    api::CertificateSpec changed = spec;
    row.change(changed);
    const auto mismatches = certificate_mismatches(changed, info);
    INFO(row.field);
    CHECK(std::find(mismatches.begin(), mismatches.end(), row.field) != mismatches.end());
  }
  // Order, duplicates and IP spelling do not matter.
  api::CertificateSpec reordered = spec;
  std::reverse(reordered.dns_names.begin(), reordered.dns_names.end());
  reordered.dns_names.push_back("web.example.com");
  reordered.ip_addresses = {"2001:DB8:0:0:0:0:0:1", "10.0.0.7"};
  std::reverse(reordered.usages.begin(), reordered.usages.end());
  CHECK(certificate_mismatches(reordered, info).empty());
}

TEST_CASE("a literalSubject certificate matches its literal, not commonName") {
  const test::TestCa ca = test::make_root_ca();
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec spec;
  spec.literal_subject = "CN=app,O=Example\\, Inc.,C=DE";
  spec.dns_names = {"app.example"};
  auto issued = sign_with_ca(test::request_for(spec, key), ca.pair, {});
  REQUIRE(issued.ok());
  const CertificateInfo info = parse_certificate(issued->chain_pem, "leaf")->info();
  CHECK(info.subject.common_name == "app");
  CHECK(certificate_mismatches(spec, info).empty());
  spec.literal_subject = "CN=app,O=Other,C=DE";
  CHECK(certificate_mismatches(spec, info) == std::vector<std::string>{"spec.literalSubject"});
}

TEST_CASE("rotationPolicy Never keeps a fitting key: Always never does") {
  const PrivateKey ec = test::make_key(PrivateKeyAlgorithm::ECDSA);
  KeySpec never{PrivateKeyAlgorithm::ECDSA, 256, api::PrivateKeyEncoding::PKCS1,
                api::RotationPolicy::Never};
  KeySpec always = never;
  always.rotation = api::RotationPolicy::Always;
  CHECK(reuse_private_key(never, &ec));
  CHECK_FALSE(reuse_private_key(never, nullptr));
  CHECK_FALSE(reuse_private_key(always, &ec));
  KeySpec bigger = never;
  bigger.bits = 384;
  CHECK_FALSE(reuse_private_key(bigger, &ec));
}
