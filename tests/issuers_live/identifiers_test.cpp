// read_order_csr: the identifiers a new order asks for, from the CSR.
#include "issuers/acme/identifiers.hpp"

#include <catch2/catch.hpp>

#include "core/pki/csr.hpp"
#include "tests/issuers_live/acme_live.hpp"

using namespace certmill;
using certmill::acme::Identifier;

TEST_CASE("DNS names, IPs and a common name no SAN repeats, each once") {
  api::CertificateSpec spec;
  spec.common_name = "cn.example.com";
  spec.dns_names = {"a.example.com", "b.example.com", "a.example.com"};
  spec.ip_addresses = {"2001:db8::1"};
  auto csr = pki::build_csr(spec, test::ec_key());
  REQUIRE(csr.ok());
  auto order = issuers::acme::read_order_csr(*csr);
  REQUIRE(order.ok());
  CHECK(order->identifiers == std::vector<Identifier>{{"dns", "a.example.com"},
                                                      {"dns", "b.example.com"},
                                                      {"ip", "2001:db8::1"},
                                                      {"dns", "cn.example.com"}});
  CHECK_FALSE(order->der.empty());
}

TEST_CASE("a CSR that names nothing to validate, or is not a CSR, is an error") {
  api::CertificateSpec spec;
  spec.uris = {"spiffe://example.org/workload"};
  auto csr = pki::build_csr(spec, test::ec_key());
  REQUIRE(csr.ok());
  auto order = issuers::acme::read_order_csr(*csr);
  REQUIRE_FALSE(order.ok());
  CHECK(order.error().message().find("no DNS name or IP address") != std::string::npos);
  CHECK_FALSE(issuers::acme::read_order_csr("not a CSR").ok());
}
