// AcmeOrderSolver's choice per identifier, without a CA: which challenge type
// each name of a mixed issuer gets (cert-manager's selector rules), that a
// wildcard never gets HTTP-01, what happens without certmill's HTTP-01
// listener, and that HTTP-01 steps reach the HTTP-01 solver while a DNS-01
// task with no provider configured fails with a reason before any DNS query.
#include "controller/acme_order_solver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::controller;
namespace asio = boost::asio;

namespace {

// Counts what reaches it.
struct CountingHttp01 : issuers::acme::ChallengeSolver {
  explicit CountingHttp01(int& calls) : calls_(calls) {}
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask&) override {
    ++calls_;
    co_return Status{};
  }
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask&) override {
    ++calls_;
    co_return Status{};
  }
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask&) override {
    ++calls_;
    co_return;
  }
  int& calls_;
};

// The seeds' mixed issuer: DNS-01 for names in dns.example.com, HTTP-01
// for the rest; and a DNS-01 solver without a provider for one name.
std::vector<api::ACMEChallengeSolver> mixed_solvers() {
  api::ACMEChallengeSolver dns;
  dns.selector = api::CertificateDNSNameSelector{};
  dns.selector->dns_zones = {"dns.example.com"};
  dns.dns01 = api::ACMEChallengeSolverDNS01{};
  dns.dns01->rfc2136 = api::ACMEIssuerDNS01ProviderRFC2136{};
  dns.dns01->rfc2136->nameserver = "127.0.0.1";
  api::ACMEChallengeSolver none;
  none.selector = api::CertificateDNSNameSelector{};
  none.selector->dns_names = {"bare.example.com"};
  none.dns01 = api::ACMEChallengeSolverDNS01{};
  api::ACMEChallengeSolver http;
  http.http01 = api::ACMEChallengeSolverHTTP01{};
  http.http01->ingress = api::ACMEChallengeSolverHTTP01Ingress{};
  return {dns, none, http};
}

const std::vector<std::string> kBoth = {"http-01", "dns-01", "tls-alpn-01"};

struct Fixture {
  explicit Fixture(bool listener = true)
      : resolver(io.get_executor(), {}),
        solver(
            mixed_solvers(), {},
            listener ? std::make_unique<CountingHttp01>(http01_calls) : nullptr,
            Dns01Solver({.executor = io.get_executor(),
                         .read_secret = [](const api::SecretKeySelector&)
                             -> asio::awaitable<Result<std::string>> { co_return std::string(); }},
                        resolver, {})) {}

  std::string choose(const std::string& name, bool wildcard = false,
                     const std::vector<std::string>& offered = kBoth) {
    auto chosen = solver.choose({"dns", name}, wildcard, offered);
    return chosen ? *chosen : "error: " + chosen.error().message();
  }
  Status present(const std::string& name, const std::string& type) {
    // The task outlives the coroutine, which holds it by reference.
    const issuers::acme::ChallengeTask task{{"dns", name}, false, type, "t", "k"};
    auto done = asio::co_spawn(io, solver.present(task), asio::use_future);
    io.run();
    io.restart();
    return done.get();
  }

  asio::io_context io;
  int http01_calls = 0;
  solvers::dns::Dns01Resolver resolver;
  AcmeOrderSolver solver;
};

}  // namespace

TEST_CASE("a mixed issuer gives names in the DNS zone DNS-01 and the others HTTP-01") {
  Fixture f;
  CHECK(f.choose("a.dns.example.com") == "dns-01");
  CHECK(f.choose("dns.example.com") == "dns-01");
  CHECK(f.choose("www.example.com") == "http-01");
  CHECK(f.choose("dns.example.com.evil.test") == "http-01");
  // A wildcard never gets HTTP-01: in the zone, DNS-01; outside it, none.
  CHECK(f.choose("dns.example.com", true) == "dns-01");
  CHECK_THAT(f.choose("example.com", true), Catch::StartsWith("error: "));
  // Only what the CA offers is chosen.
  CHECK(f.choose("a.dns.example.com", false, {"http-01"}) == "http-01");
  CHECK_THAT(f.choose("www.example.com", false, {"dns-01"}), Catch::StartsWith("error: "));
}

TEST_CASE(
    "HTTP-01 steps go to the HTTP-01 solver, and a DNS-01 solver without a provider says why") {
  Fixture f;
  REQUIRE(f.choose("www.example.com") == "http-01");
  CHECK(f.present("www.example.com", "http-01").ok());
  CHECK(f.http01_calls == 1);
  REQUIRE(f.choose("bare.example.com") == "dns-01");
  const Status bare = f.present("bare.example.com", "dns-01");
  REQUIRE_FALSE(bare.ok());
  CHECK_THAT(bare.error().message(), Catch::Contains("names no DNS provider"));
  CHECK(f.http01_calls == 1);
}

TEST_CASE("without certmill's HTTP-01 listener only DNS-01 names can be chosen") {
  Fixture f(false);
  CHECK(f.choose("a.dns.example.com") == "dns-01");
  CHECK_THAT(f.choose("www.example.com"), Catch::Contains("--http01-listen-address"));
}
