// Whole orders against a real Pebble: issued chains that openssl verifies
// against Pebble's root and intermediate, reused authorizations, alternate
// chains chosen by preferredChain, and an order whose validation fails.
#include <algorithm>

#include <catch2/catch.hpp>

#include "core/acme/jwk.hpp"
#include "core/pki/x509.hpp"
#include "issuers/acme/order.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;

namespace {

Result<IssuedChain> issue(test::AcmeShard& acme, OrderRequest request, ChallengeSolver& solver) {
  return acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
    co_return co_await issue_certificate(*acme.client, request, solver);
  });
}

// `openssl verify` of the chain's leaf, its other certificates as untrusted
// intermediates, against `root_pem`.
test::CommandResult verify_chain(const std::string& chain_pem, const std::string& root_pem) {
  auto certs = pki::parse_certificates(chain_pem, "issued chain");
  REQUIRE(certs.ok());
  REQUIRE(certs->size() >= 2);
  test::ScratchDir dir;
  const std::string leaf = dir.write("leaf.pem", certs->front().pem());
  const std::string chain = dir.write("chain.pem", chain_pem);
  const std::string root = dir.write("root.pem", root_pem);
  return test::openssl({"verify", "-CAfile", root, "-untrusted", chain, leaf});
}

std::string common_name(const std::string& pem) {
  auto cert = pki::parse_certificate(pem, "Pebble root");
  REQUIRE(cert.ok());
  return cert->info().subject.common_name;
}

std::string top_issuer_cn(const std::string& chain_pem) {
  auto certs = pki::parse_certificates(chain_pem, "issued chain");
  REQUIRE(certs.ok());
  return pki::read_name(X509_get_issuer_name(certs->back().get())).common_name;
}

}  // namespace

TEST_CASE("an order is issued and its chain verifies against Pebble's root") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::RecordingSolver solver;
  OrderRequest request;
  request.csr_pem = test::csr_for({"www.example.com", "example.com"}, {"192.0.2.10"});

  auto issued = issue(acme, request, solver);
  INFO((issued.ok() ? "" : issued.error().message()));
  REQUIRE(issued.ok());
  CHECK(issued->order_url.starts_with("https://127.0.0.1:"));
  CHECK_FALSE(issued->certificate_url.empty());
  const auto verified = verify_chain(issued->chain_pem, pebble.root_pem());
  INFO(verified.output);
  CHECK(verified.status == 0);
  auto leaf = pki::parse_certificate(issued->chain_pem, "leaf");
  REQUIRE(leaf.ok());
  auto names = leaf->info().sans.dns_names;
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"example.com", "www.example.com"});
  CHECK(leaf->info().sans.ip_addresses == std::vector<std::string>{"192.0.2.10"});

  // One challenge per identifier, each answered with its key authorization
  // and cleaned up afterwards.
  REQUIRE(solver.presented.size() == 3);
  CHECK(solver.cleaned.size() == 3);
  for (const std::string& p : solver.presented) {
    const auto first = p.find(' ');
    const auto second = p.find(' ', first + 1);
    const std::string token = p.substr(first + 1, second - first - 1);
    CHECK(p.substr(second + 1) ==
          certmill::acme::key_authorization(token, acme.client->thumbprint()));
  }
  // Polls waited at least the clamped second, never the CA's whim.
  for (const auto wait : acme.clock.waits()) {
    CHECK(wait <= std::chrono::seconds(60));
    CHECK(wait > std::chrono::milliseconds(900));
  }
}

TEST_CASE("valid authorizations are reused without a challenge") {
  test::PebbleOptions options;
  options.always_valid = true;
  options.authz_reuse = 100;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  OrderRequest request;
  request.csr_pem = test::csr_for({"reuse.example.com"});
  test::RecordingSolver first;
  REQUIRE(issue(acme, request, first).ok());
  REQUIRE(first.presented.size() == 1);

  request.csr_pem = test::csr_for({"reuse.example.com"});
  test::RecordingSolver second;
  auto again = issue(acme, request, second);
  INFO((again.ok() ? "" : again.error().message()));
  REQUIRE(again.ok());
  CHECK(second.presented.empty());
  CHECK(verify_chain(again->chain_pem, pebble.root_pem()).status == 0);
}

TEST_CASE("preferredChain picks the alternate chain whose top issuer matches") {
  test::PebbleOptions options;
  options.always_valid = true;
  options.alternate_roots = 1;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  const std::string default_root = common_name(pebble.root_pem(0));
  const std::string alternate_root = common_name(pebble.root_pem(1));
  REQUIRE(default_root != alternate_root);
  test::RecordingSolver solver;
  OrderRequest request;
  request.csr_pem = test::csr_for({"chains.example.com"});

  SECTION("the alternate root") {
    request.preferred_chain = alternate_root;
    auto issued = issue(acme, request, solver);
    INFO((issued.ok() ? "" : issued.error().message()));
    REQUIRE(issued.ok());
    CHECK(top_issuer_cn(issued->chain_pem) == alternate_root);
    CHECK(verify_chain(issued->chain_pem, pebble.root_pem(1)).status == 0);
    CHECK(verify_chain(issued->chain_pem, pebble.root_pem(0)).status != 0);
  }
  SECTION("the default root") {
    request.preferred_chain = default_root;
    auto issued = issue(acme, request, solver);
    REQUIRE(issued.ok());
    CHECK(top_issuer_cn(issued->chain_pem) == default_root);
  }
  SECTION("no chain matches: the default one, as cert-manager does") {
    request.preferred_chain = "No Such Root";
    auto issued = issue(acme, request, solver);
    REQUIRE(issued.ok());
    CHECK(top_issuer_cn(issued->chain_pem) == default_root);
    CHECK(verify_chain(issued->chain_pem, pebble.root_pem(0)).status == 0);
  }
}

TEST_CASE("an authorization that fails validation fails the order with the CA's problem") {
  // Validation is real here and nothing serves HTTP-01 on Pebble's httpPort.
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::RecordingSolver solver;
  OrderRequest request;
  request.csr_pem = test::csr_for({"localhost"});

  auto issued = issue(acme, request, solver);
  REQUIRE_FALSE(issued.ok());
  INFO(issued.error().message());
  CHECK(issued.error().code().category() == certmill::acme::acme_problem_category());
  CHECK(issued.error().message().find("authorization for dns localhost") != std::string::npos);
  CHECK(solver.presented.size() == 1);
  CHECK(solver.cleaned.size() == 1);
}

TEST_CASE("an order needs a registered account and a CSR with names") {
  test::Pebble pebble;
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::RecordingSolver solver;
  OrderRequest request;
  request.csr_pem = test::csr_for({"example.com"});
  auto unregistered = issue(acme, request, solver);
  REQUIRE_FALSE(unregistered.ok());
  CHECK(unregistered.error().message().find("no ACME account") != std::string::npos);

  request.csr_pem = "not a CSR";
  test::register_account(acme);
  auto garbage = issue(acme, request, solver);
  REQUIRE_FALSE(garbage.ok());
  CHECK(solver.presented.empty());
}
