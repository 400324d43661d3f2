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

// Keeps the authorization URLs and the reasons an order reports.
class RecordingObserver final : public OrderObserver {
 public:
  asio::awaitable<void> order_created(std::string, certmill::acme::Order) override { co_return; }
  asio::awaitable<void> challenge_started(std::string authorization_url,
                                          certmill::acme::Authorization, certmill::acme::Challenge,
                                          std::string) override {
    authorizations.push_back(std::move(authorization_url));
    co_return;
  }
  asio::awaitable<void> challenge_presented(certmill::acme::Challenge, std::string) override {
    co_return;
  }
  asio::awaitable<void> challenge_waiting(certmill::acme::Challenge, std::string reason) override {
    waiting.push_back(std::move(reason));
    co_return;
  }
  asio::awaitable<void> challenge_finished(certmill::acme::Challenge, std::string state,
                                           std::string) override {
    challenge_states.push_back(std::move(state));
    co_return;
  }
  asio::awaitable<void> order_state(std::string state, std::string) override {
    order_states.push_back(std::move(state));
    co_return;
  }

  std::vector<std::string> authorizations;
  std::vector<std::string> waiting;
  std::vector<std::string> challenge_states;
  std::vector<std::string> order_states;
};

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
  RecordingObserver observer;
  OrderRequest request;
  request.csr_pem = test::csr_for({"localhost"});
  request.observer = &observer;

  auto issued = issue(acme, request, solver);
  REQUIRE_FALSE(issued.ok());
  INFO(issued.error().message());
  CHECK(issued.error().code().category() == certmill::acme::acme_problem_category());
  CHECK(issued.error().message().find("authorization for dns localhost") != std::string::npos);
  CHECK(solver.presented.size() == 1);
  CHECK(solver.cleaned.size() == 1);
  CHECK(observer.challenge_states == std::vector<std::string>{"invalid"});
  CHECK(observer.order_states.back() == "invalid");
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

namespace {

// Waits of `length` the clock was asked for (give or take the few
// milliseconds between asking and the clock reading its time).
long waits_of(const test::QuickClock& clock, std::chrono::milliseconds length) {
  const auto waits = clock.waits();
  return std::count_if(waits.begin(), waits.end(), [&](std::chrono::milliseconds w) {
    return w <= length && w > length - std::chrono::milliseconds(100);
  });
}

}  // namespace

TEST_CASE("the CA is told to validate only once the solver's check passes") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::RecordingSolver solver;
  solver.failing_checks = 2;
  RecordingObserver observer;
  OrderRequest request;
  request.csr_pem = test::csr_for({"late.example.com"});
  request.observer = &observer;

  auto issued = issue(acme, request, solver);
  INFO((issued ? "" : issued.error().message()));
  REQUIRE(issued.ok());
  CHECK(solver.checked.size() == 3);
  // Each failed check was reported as cert-manager reports it, and waited
  // the check retry period on the client's clock.
  CHECK(observer.waiting ==
        std::vector<std::string>(2,
                                 "Waiting for HTTP-01 challenge propagation: wrong status "
                                 "code '404', expected '200'"));
  CHECK(waits_of(acme.clock, std::chrono::seconds(10)) >= 2);
}

TEST_CASE("a check that never passes gives up without asking the CA to validate") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::RecordingSolver solver;
  solver.failing_checks = 1'000'000;
  RecordingObserver observer;
  OrderRequest request;
  request.csr_pem = test::csr_for({"never.example.com"});
  request.observer = &observer;
  // Shorter than one retry period: the first failed check is the last.
  request.poll.give_up_after = std::chrono::seconds(5);

  auto issued = issue(acme, request, solver);
  REQUIRE_FALSE(issued.ok());
  INFO(issued.error().message());
  CHECK(issued.error().message() ==
        "HTTP-01 self-check for never.example.com did not pass in 5s, so the CA was not "
        "asked to validate: wrong status code '404', expected '200'");
  CHECK(solver.checked.size() == 1);
  CHECK(solver.cleaned.size() == 1);
  // The CA never decided: the challenge and the order errored, not invalid.
  CHECK(observer.challenge_states == std::vector<std::string>{"errored"});
  CHECK(observer.order_states.back() == "errored");
  // Pebble, which would have passed any validation, still waits to be asked.
  REQUIRE(observer.authorizations.size() == 1);
  auto authz = acme.run([&]() -> asio::awaitable<Result<certmill::acme::Authorization>> {
    auto response = co_await acme.client->post_as_get(observer.authorizations.front());
    if (!response)
      co_return response.error();
    co_return certmill::acme::decode_authorization(response->body);
  });
  REQUIRE(authz.ok());
  CHECK(authz->status == certmill::acme::AuthorizationStatus::Pending);
}
