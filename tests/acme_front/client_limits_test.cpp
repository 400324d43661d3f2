// certmill's newOrder step against the front's Let's Encrypt limits: an ARI
// renewal carries `replaces` and passes an empty bucket; a refused `replaces`
// is dropped and said so; a fleet against a small bucket costs one 429, waits
// exactly the Retry-After the front sent, and then all issue; a Retry-After of
// a year fails the order with the CA's time and holds the others an hour at most.
#include <algorithm>
#include <thread>

#include "tests/acme_front/virtual_client.hpp"

using namespace certmill;
using namespace std::chrono_literals;
using certmill::acme::ProblemType;

namespace {

std::string stats(test::FrontSetup& setup) {
  return setup.front.get("/stats").body;
}

template <class F>
bool eventually(F condition) {
  for (int i = 0; i < 1200; ++i) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

issuers::acme::NewOrderGate& gate(test::VirtualClient& virt) {
  return virt.client->new_order_gate();
}

}  // namespace

TEST_CASE("an ARI renewal carries replaces and passes an empty new-order bucket") {
  test::FrontSetup setup({"--new-orders-per-account=1/1h"});
  issuers::acme::NewOrderLimits no_waiting;
  no_waiting.max_attempts = 1;
  test::VirtualClient virt(setup, no_waiting);
  auto first = virt.issue({"renew.example.com"});
  test::require_issued(setup, first);

  // The bucket is empty: an ordinary order is refused...
  auto ordinary = virt.issue({"other.example.com"});
  REQUIRE_FALSE(ordinary.ok());
  CHECK(ordinary.error().code() == ProblemType::RateLimited);
  // ...and a renewal is not, even with the gate closed.
  auto renewed = virt.issue({"renew.example.com"}, test::FrontSetup::cert_id(*first));
  test::require_issued(setup, renewed);
  CHECK_FALSE(renewed->replaces_dropped);
  const std::string s = stats(setup);
  CHECK_THAT(s, Catch::Contains(R"("orders_with_replaces":1)"));
  CHECK_THAT(s, Catch::Contains(R"("new-orders-per-account":1)"));
}

TEST_CASE("a renewal whose replaces the CA refuses is issued without it and says so") {
  test::FrontSetup setup;
  test::VirtualClient virt(setup);
  auto first = virt.issue({"refused.example.com"});
  test::require_issued(setup, first);
  const std::string id = test::FrontSetup::cert_id(*first);

  for (const char* answer : {"alreadyReplaced", "malformed"}) {
    INFO(answer);
    setup.front.must_post("/replaces-answer", std::string(R"({"answer": ")") + answer + R"("})");
    auto renewed = virt.issue({"refused.example.com"}, id);
    test::require_issued(setup, renewed);
    CHECK(renewed->replaces_dropped);
  }
  const std::string s = stats(setup);
  CHECK_THAT(s, Catch::Contains(R"("orders_with_replaces":0)"));
  CHECK_THAT(s, Catch::Contains(R"("alreadyReplaced":1)"));
  CHECK_THAT(s, Catch::Contains(R"("certificates_issued":3)"));

  // Accepted again: the renewal keeps its replaces.
  setup.front.must_post("/replaces-answer", R"({"answer": "accept"})");
  auto renewed = virt.issue({"refused.example.com"}, id);
  test::require_issued(setup, renewed);
  CHECK_FALSE(renewed->replaces_dropped);
}

TEST_CASE("a fleet against a small new-order bucket costs one 429 and waits its Retry-After") {
  // One token every 20 minutes.
  test::FrontSetup setup({"--new-orders-per-account=3/1h"});
  test::VirtualClient virt(setup);
  std::vector<std::future<test::IssueResult>> fleet;
  for (int i = 0; i < 6; ++i)
    fleet.push_back(
        virt.start(test::VirtualClient::request({"fleet" + std::to_string(i) + ".example.com"})));

  // Three issue; the fourth is refused and waits at the gate, with the two
  // behind it that never asked.
  REQUIRE(eventually([&] {
    return virt.clock.long_sleepers() == 3 &&
           std::count_if(fleet.begin(), fleet.end(), [](auto& f) {
             return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
           }) == 3;
  }));
  CHECK_THAT(stats(setup), Catch::Contains(R"("rate_limited":{"new-orders-per-account":1})"));
  const auto retry_after = setup.acme.run([&] { return *gate(virt).last_retry_after(); });
  CHECK(retry_after <= 1200s);
  CHECK(retry_after > 1140s);
  const auto waits = virt.clock.long_sleeps();
  REQUIRE(waits.size() == 3);
  for (const auto& wait : waits)
    CHECK(wait.until == waits.front().until);
  // The refused order's wait is the Retry-After to the second; the others
  // began theirs no earlier.
  const auto longest = std::max_element(waits.begin(), waits.end(), [](auto& a, auto& b) {
    return a.until - a.from < b.until - b.from;
  });
  CHECK(longest->until - longest->from == retry_after);

  // An hour refills the bucket: all three go, one after the other, with no 429.
  virt.advance(1h);
  for (auto& order : fleet) {
    REQUIRE(order.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
    auto result = order.get();
    REQUIRE(result);
    test::require_issued(setup, *result);
  }
  const std::string s = stats(setup);
  CHECK_THAT(s, Catch::Contains(R"("rate_limited":{"new-orders-per-account":1})"));
  CHECK_THAT(s, Catch::Contains(R"("certificates_issued":6)"));
  CHECK(setup.acme.run([&] { return gate(virt).closings(); }) == 1);
}

TEST_CASE("a Retry-After of a year fails the order with the CA's time and holds others an hour") {
  test::FrontSetup setup({"--new-orders-per-account=1/8760h"});
  test::VirtualClient virt(setup);
  test::require_issued(setup, virt.issue({"year1.example.com"}));

  auto refused = virt.issue({"year2.example.com"});
  REQUIRE_FALSE(refused.ok());
  INFO(refused.error().message());
  CHECK(refused.error().code() == ProblemType::RateLimited);
  REQUIRE(refused.error().retry_after());
  CHECK(*refused.error().retry_after() > 8759h);
  CHECK_THAT(refused.error().message(), Catch::Contains("longer than an order waits: 1h"));
  CHECK(virt.clock.long_sleeps().empty());

  // The next order waits the hour the gate was closed for, then asks, and is
  // refused the same way.
  auto next = virt.start(test::VirtualClient::request({"year3.example.com"}));
  REQUIRE(eventually([&] { return virt.clock.long_sleepers() == 1; }));
  const auto waits = virt.clock.long_sleeps();
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].until - waits[0].from == 1h);
  virt.advance(1h);
  REQUIRE(next.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
  auto again = next.get();
  REQUIRE(again);
  REQUIRE_FALSE(again->ok());
  CHECK(again->error().retry_after() > 8758h);
  CHECK_THAT(stats(setup), Catch::Contains(R"("new-orders-per-account":2)"));
}
