// PEM framing, IP address text and certificate chains: the small pieces the
// rest of core/pki relies on, table-driven.
#include "core/pki/names.hpp"

#include <catch2/catch.hpp>

#include "core/pki/chain.hpp"
#include "core/pki/pem.hpp"
#include "tests/pki/pki_fixtures.hpp"

using namespace certmill;
using namespace certmill::pki;
using api::PrivateKeyAlgorithm;

TEST_CASE("IP addresses round-trip to Go's net.IP.String text") {
  const std::pair<std::string, std::string> rows[] = {
      {"10.0.0.1", "10.0.0.1"},
      {"255.255.255.255", "255.255.255.255"},
      {"2001:db8::1", "2001:db8::1"},
      {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
      {"::", "::"},
      {"::1", "::1"},
      {"fe80::", "fe80::"},
      {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},       // the longer zero run wins
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},           // ... and on a tie, the first
      {"2001:db8:1:1:1:1:1:0", "2001:db8:1:1:1:1:1:0"},  // a single zero group stays
      {"::ffff:192.0.2.1", "192.0.2.1"},                 // IPv4-mapped prints as IPv4
  };
  for (const auto& [in, out] : rows) {
    INFO(in);
    auto raw = parse_ip(in);
    REQUIRE(raw.ok());
    CHECK(format_ip(*raw) == out);
  }
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "example.com", "1::2::3"}) {
    INFO(bad);
    auto raw = parse_ip(bad);
    REQUIRE_FALSE(raw.ok());
    CHECK_THAT(raw.error().message(), Catch::Contains("is not an IP address"));
  }
}

TEST_CASE("PEM blocks decode in order and garbage is named") {
  const std::string two = pem_encode("CERTIFICATE", "abc") + "comment\n" + pem_encode("X", "de");
  auto blocks = pem_decode(two, "bundle");
  REQUIRE(blocks.ok());
  CHECK(*blocks == std::vector<PemBlock>{{"CERTIFICATE", "abc"}, {"X", "de"}});
  for (const char* bad : {"", "just text", "-----BEGIN X-----\n@@@@\n-----END X-----\n",
                          "-----BEGIN X-----\nYWJj\n"}) {
    auto out = pem_decode(bad, "ca.crt");
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message(), Catch::StartsWith("ca.crt "));
  }
}

TEST_CASE("chains are ordered leaf first from any order, and broken ones rejected") {
  const test::TestCa root = test::make_root_ca();
  const PrivateKey inter_key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  api::CertificateSpec inter_spec;
  inter_spec.common_name = "inter";
  inter_spec.is_ca = true;
  auto inter = sign_with_ca(test::request_for(inter_spec, inter_key), root.pair, {});
  REQUIRE(inter.ok());
  auto inter_pair = load_ca_key_pair(inter->chain_pem,
                                     *encode_private_key(inter_key, api::PrivateKeyEncoding::PKCS1),
                                     test::fixed_now, "ns/inter");
  REQUIRE(inter_pair.ok());
  const PrivateKey key = test::make_key(PrivateKeyAlgorithm::ECDSA);
  auto leaf = sign_with_ca(test::request_for(test::leaf_spec(), key), *inter_pair, {});
  REQUIRE(leaf.ok());
  // An intermediate-only CA Secret: ca.crt is the intermediate, as cert-manager does.
  CHECK(leaf->ca_pem == inter->chain_pem);

  const auto leaf_cert = *parse_certificate(leaf->chain_pem, "leaf");
  const auto inter_cert = *parse_certificate(inter->chain_pem, "inter");
  const auto root_cert = *parse_certificate(root.tls_crt, "root");
  auto ordered = order_chain({root_cert, leaf_cert, inter_cert, leaf_cert});
  REQUIRE(ordered.ok());
  REQUIRE(ordered->size() == 3);
  CHECK((*ordered)[0].info().subject.common_name == "web.example.com");
  CHECK((*ordered)[1].info().subject.common_name == "inter");
  CHECK((*ordered)[2].info().subject.common_name == "certmill test root");

  auto bundle = bundle_chain({root_cert, inter_cert, leaf_cert});
  REQUIRE(bundle.ok());
  CHECK(bundle->chain_pem == leaf_cert.pem() + inter_cert.pem());
  CHECK(bundle->ca_pem == root_cert.pem());

  auto broken = order_chain({leaf_cert, root_cert});
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.error().message(), Catch::Contains("do not form a single chain"));

  const test::TestCa other = test::make_root_ca();
  auto two_roots = order_chain({root_cert, *parse_certificate(other.tls_crt, "other")});
  REQUIRE_FALSE(two_roots.ok());
}
