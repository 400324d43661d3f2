// HTTP-01 validated for real: Pebble resolves every name to 127.0.0.1 through
// pebble-challtestsrv and fetches /.well-known/acme-challenge/<token> from
// certmill's responder listening on Pebble's httpPort. Validation has no
// random delay (PEBBLE_VA_NOSLEEP) and Pebble rejects 5% of nonces, as it
// does by default.
#include <algorithm>

#include <catch2/catch.hpp>

#include "core/pki/x509.hpp"
#include "issuers/acme/order.hpp"
#include "reactor/reactor.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/solvers_live/responder_solver.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/plain_http.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;
using namespace std::chrono_literals;

namespace {

test::PebbleOptions validating() {
  test::PebbleOptions options;
  options.resolve_to_loopback = true;
  return options;
}

// The self-check asks what Pebble asks: names resolved by pebble-challtestsrv,
// on Pebble's HTTP-01 port.
solvers::SelfCheckOptions self_check(const test::Pebble& pebble) {
  solvers::SelfCheckOptions options;
  options.nameservers = {{"127.0.0.1", pebble.dns_port}};
  options.port = pebble.http_port;
  return options;
}

// The responder on its own one-shard reactor, listening where Pebble sends
// HTTP-01 validation requests.
struct Listener {
  explicit Listener(unsigned short port) {
    reactor.start();
    auto made = reactor::HttpServer::listen(reactor.shard(0).executor(),
                                            "127.0.0.1:" + std::to_string(port),
                                            {.flag = "--http01-listen-address"});
    if (!made)
      throw std::runtime_error(made.error().message());
    server = std::move(*made);
    responder.attach(*server);
    reactor.spawn_service(reactor.shard(0),
                          [this]() -> boost::asio::awaitable<void> { co_await server->run(); });
  }
  ~Listener() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }
  reactor::Reactor reactor{1};
  solvers::Http01Responder responder;
  std::unique_ptr<reactor::HttpServer> server;
};

Result<IssuedChain> issue(test::AcmeShard& acme, const std::vector<std::string>& names,
                          ChallengeSolver& solver) {
  OrderRequest request;
  request.csr_pem = test::csr_for(names);
  return acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
    co_return co_await issue_certificate(*acme.client, request, solver);
  });
}

// A solver that loses the token's shape on the way to the responder, as a CA
// sending "../" in a token would: the responder must refuse, not serve a path.
class PathTokenSolver final : public test::ResponderSolver {
 public:
  using ResponderSolver::ResponderSolver;
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    issuers::acme::ChallengeTask lost = task;
    lost.token = "../" + task.token;
    co_return co_await ResponderSolver::present(lost);
  }
};

}  // namespace

TEST_CASE("a multi-name certificate is issued through real HTTP-01 validation") {
  test::Pebble pebble(validating());
  Listener listener(pebble.http_port);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::ResponderSolver solver(listener.responder, self_check(pebble));
  const std::vector<std::string> names{"www.example.com", "example.com", "shop.example.org"};

  auto issued = issue(acme, names, solver);
  INFO((issued.ok() ? "" : issued.error().message() + "\nPebble's log:\n" + pebble.log()));
  REQUIRE(issued.ok());

  // The chain is Pebble's: the leaf verifies through its intermediate to its root.
  auto certs = pki::parse_certificates(issued->chain_pem, "issued chain");
  REQUIRE(certs.ok());
  REQUIRE(certs->size() >= 2);
  test::ScratchDir dir;
  const auto verified =
      test::openssl({"verify", "-CAfile", dir.write("root.pem", pebble.root_pem()), "-untrusted",
                     dir.write("intermediate.pem", pebble.intermediate_pem()),
                     dir.write("leaf.pem", certs->front().pem())});
  INFO(verified.output);
  CHECK(verified.status == 0);
  auto sans = certs->front().info().sans.dns_names;
  std::sort(sans.begin(), sans.end());
  CHECK(sans == std::vector<std::string>{"example.com", "shop.example.org", "www.example.com"});

  // Each name's token was served while Pebble validated it, then removed;
  // certmill's own check saw each before Pebble was told to look.
  CHECK(solver.presented.size() == names.size());
  CHECK(solver.checks == std::vector<std::string>(names.size(), "ok"));
  CHECK(solver.cleaned.size() == names.size());
  for (const std::size_t held : solver.held_after_present)
    CHECK(held >= 1);
  CHECK(listener.responder.size() == 0);
  const std::string token = solver.presented.front().substr(solver.presented.front().find(' ') + 1);
  CHECK(
      test::plain_http_get(pebble.http_port, std::string(solvers::kChallengePath) + token).status ==
      404);
}

TEST_CASE("a solver that presents nothing fails the order with Pebble's problem") {
  test::Pebble pebble(validating());
  Listener listener(pebble.http_port);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  test::RecordingSolver silent;  // records the token, serves nothing

  auto issued = issue(acme, {"silent.example.com"}, silent);
  REQUIRE_FALSE(issued.ok());
  const std::string& message = issued.error().message();
  INFO(message);
  CHECK(issued.error().code().category() == certmill::acme::acme_problem_category());
  CHECK(message.find("authorization for dns silent.example.com") != std::string::npos);
  // Pebble says what it fetched: the responder's 404.
  CHECK(message.find("urn:ietf:params:acme:error:unauthorized") != std::string::npos);
  CHECK(message.find("/.well-known/acme-challenge/") != std::string::npos);
  CHECK(message.find("404") != std::string::npos);
  CHECK(silent.presented.size() == 1);
  CHECK(silent.cleaned.size() == 1);
}

TEST_CASE("a token with path characters is refused and fails the order with a clear error") {
  test::Pebble pebble(validating());
  Listener listener(pebble.http_port);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  PathTokenSolver solver(listener.responder, self_check(pebble));

  auto issued = issue(acme, {"dots.example.com"}, solver);
  REQUIRE_FALSE(issued.ok());
  const std::string& message = issued.error().message();
  INFO(message);
  CHECK(message.find("HTTP-01 challenge for dots.example.com: the token \"../") == 0);
  CHECK(message.find("is not base64url") != std::string::npos);
  CHECK(solver.presented.empty());
  CHECK(solver.cleaned.size() == 1);  // cleanup still runs, and finds nothing to remove
  CHECK(listener.responder.size() == 0);
}
