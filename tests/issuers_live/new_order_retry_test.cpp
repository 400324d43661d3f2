// A rate-limited newOrder whose Retry-After is already past, and one without a
// Retry-After, from a canned CA (no real CA answers so on purpose): the first
// waits one second, not a hot loop, and asks again; the second fails at once,
// reporting no order to the observer (none was placed).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/acme/problem.hpp"
#include "issuers/acme/order.hpp"
#include "issuers/acme/order_observer.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/issuers_live/canned_server.hpp"
#include "tests/issuers_live/virtual_clock.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using certmill::acme::ProblemType;
namespace asio = boost::asio;

namespace {

std::vector<test::CannedReply> ca_with(std::vector<test::CannedReply> after_nonce) {
  std::vector<test::CannedReply> replies{
      {200,
       R"({"newNonce":"{base}/nonce","newAccount":"{base}/account","newOrder":"{base}/order"})",
       {{"Content-Type", "application/json"}}},
      {200, "", {{"Replay-Nonce", "first-nonce"}}},
  };
  replies.insert(replies.end(), after_nonce.begin(), after_nonce.end());
  return replies;
}

test::CannedReply rate_limited(std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Content-Type", "application/problem+json");
  headers.emplace_back("Replay-Nonce", "second-nonce");
  return {
      429,
      R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"canned limit","status":429})",
      std::move(headers)};
}

// An order the CA created invalid, which ends issue_certificate right there.
const test::CannedReply invalid_order{
    201,
    R"({"status":"invalid","identifiers":[{"type":"dns","value":"a.example.com"}],)"
    R"("authorizations":[],"finalize":"{base}/finalize","error":)"
    R"({"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"canned end"}})",
    {{"Content-Type", "application/json"},
     {"Location", "/order/1"},
     {"Replay-Nonce", "third-nonce"}}};

// The order states an order reports.
class StateObserver final : public issuers::acme::OrderObserver {
 public:
  asio::awaitable<void> order_created(std::string, certmill::acme::Order) override { co_return; }
  asio::awaitable<void> challenge_started(std::string, certmill::acme::Authorization,
                                          certmill::acme::Challenge, std::string) override {
    co_return;
  }
  asio::awaitable<void> challenge_presented(certmill::acme::Challenge, std::string) override {
    co_return;
  }
  asio::awaitable<void> challenge_waiting(certmill::acme::Challenge, std::string) override {
    co_return;
  }
  asio::awaitable<void> challenge_finished(certmill::acme::Challenge, std::string,
                                           std::string) override {
    co_return;
  }
  asio::awaitable<void> order_state(std::string state, std::string) override {
    states.push_back(std::move(state));
    co_return;
  }
  std::vector<std::string> states;
};

Result<issuers::acme::IssuedChain> issue(test::AcmeShard& acme, issuers::acme::Client& client,
                                         issuers::acme::OrderObserver* observer = nullptr) {
  issuers::acme::OrderRequest request;
  request.observer = observer;
  request.csr_pem = test::csr_for({"a.example.com"});
  test::RecordingSolver solver;
  return acme.run([&]() -> asio::awaitable<Result<issuers::acme::IssuedChain>> {
    co_return co_await issuers::acme::issue_certificate(client, request, solver);
  });
}

std::unique_ptr<issuers::acme::Client> client_on(test::AcmeShard& acme, test::CannedServer& ca,
                                                 reactor::Clock& clock) {
  auto transport = issuers::acme::Transport::create(acme.shard().executor(), {});
  REQUIRE(transport.ok());
  issuers::acme::ClientConfig config;
  config.directory_url = ca.url("/dir");
  auto client = issuers::acme::Client::create(std::move(*transport), config, test::ec_key(), clock);
  REQUIRE(client.ok());
  (*client)->set_account_url(ca.url("/account/1"));
  return std::move(*client);
}

}  // namespace

TEST_CASE("a rate limit whose Retry-After has passed is retried after one second") {
  test::CannedServer ca(
      ca_with({rate_limited({{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}), invalid_order}));
  test::AcmeShard acme(ca.url("/dir"));
  test::VirtualClock clock(std::chrono::system_clock::now());
  auto client = client_on(acme, ca, clock);
  StateObserver observer;
  auto result = issue(acme, *client, &observer);
  const std::size_t closings = client->new_order_gate().closings();
  reactor::run_and_wait(acme.shard().executor(), [&] { client.reset(); });

  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message(), Catch::Contains("canned end"));
  CHECK(closings == 1);
  const auto sleeps = clock.sleeps();
  REQUIRE(sleeps.size() == 1);
  CHECK(sleeps[0].until - sleeps[0].from == 1s);
  const auto requests = ca.requests();
  CHECK(std::count(requests.begin(), requests.end(), "POST /order") == 2);
  // The order the CA placed (invalid) is reported.
  CHECK(observer.states == std::vector<std::string>{"invalid"});
}

TEST_CASE("a rate limit without Retry-After fails the order without waiting") {
  test::CannedServer ca(ca_with({rate_limited({})}));
  test::AcmeShard acme(ca.url("/dir"));
  test::VirtualClock clock(std::chrono::system_clock::now());
  auto client = client_on(acme, ca, clock);
  StateObserver observer;
  auto result = issue(acme, *client, &observer);
  reactor::run_and_wait(acme.shard().executor(), [&] { client.reset(); });

  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ProblemType::RateLimited);
  CHECK(observer.states.empty());
  CHECK_FALSE(result.error().retry_after());
  CHECK(clock.sleeps().empty());
  const auto requests = ca.requests();
  CHECK(std::count(requests.begin(), requests.end(), "POST /order") == 1);
}
