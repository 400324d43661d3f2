// The rate-limit line's turns and a limit learned while they are out. Turns
// given before the CA's first 429 hold no token of the limit it teaches; when
// the closing ends they must ask that limit, not all go at once: on a
// sanitizer build's slow controller two of them reached the CA in the minute
// that had room for one, and met the limit again. Turns given under limits
// an Issuer then changed hold no token of the new budget either. Against
// kube-sim, where the line reads the closings and Orders an earlier process
// left.
#include <mutex>

#include <catch2/catch.hpp>
#include <prometheus/registry.h>

#include "controller/runtime/rate_limit_scheduler.hpp"
#include "core/acme/problem.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace std::chrono_literals;

namespace {

struct Line {
  test::KubeSim sim;
  k8s::ClientConfig config = test::client_config(sim);
  reactor::FakeClock clock{reactor::TimePoint{} + 24h * 365 * 56};
  reactor::Reactor reactor{1, clock};
  std::unique_ptr<k8s::Client> client = test::make_client(reactor.shard(0), config);
  prometheus::Registry registry;
  controller::RateLimitFamilies metrics{registry};
  ratelimits::PublicSuffixList suffixes = ratelimits::PublicSuffixList::parse("com\n");
  controller::RateLimitScheduler scheduler{reactor, metrics, {client.get()}, suffixes, ""};
  controller::RateLimitAccount account{
      "https://ca.test/dir#acme/key", "", "ca.test", "key", "acme", "key", {}, false};
  std::mutex mutex;
  std::vector<std::string> granted;

  Line() {
    scheduler.on_turns(
        0,
        [this](const std::string& certificate) {
          std::lock_guard lock(mutex);
          granted.push_back(certificate);
        },
        [](const std::string&, std::optional<controller::LateRenewal>) {});
    reactor.start();
  }
  ~Line() {
    reactor.shutdown(1s, 1s).get();
    reactor.join();
  }
  static ratelimits::OrderShape shape(const std::string& name) {
    return {{"example.com"}, name + ".example.com", {"dns:" + name + ".example.com"}};
  }
  void request(const std::string& certificate) {
    scheduler.request(0, account, {certificate, clock.now() + 24h, shape(certificate), false});
  }
  std::size_t turns() {
    std::lock_guard lock(mutex);
    return granted.size();
  }
  // enter_new_order, and new_order_sent when it may go: what the ACME client does.
  Status send(const std::string& certificate) {
    Status entered = test::run_on(reactor.shard(0), [&]() -> boost::asio::awaitable<Status> {
      co_return co_await scheduler.enter_new_order(account, certificate, shape(certificate));
    });
    if (entered)
      scheduler.new_order_sent(account.id);
    return entered;
  }
};

}  // namespace

TEST_CASE("turns given before a 429 taught the new-order limit ask it when they go") {
  Line line;
  for (const char* certificate : {"ns/a", "ns/b", "ns/c", "ns/d"})
    line.request(certificate);
  // No limit known: every one has its turn at once.
  REQUIRE(test::eventually([&] { return line.turns() == 4; }));

  REQUIRE(line.send("ns/a"));
  // The CA's 429 on ns/b says its limit (60 an hour: one a minute once the
  // burst is spent) and closes the account for its Retry-After.
  const Time now = std::chrono::floor<std::chrono::seconds>(line.clock.now());
  ratelimits::RateLimitRefusal refusal;
  refusal.limit = ratelimits::Limit::NewOrdersPerAccount;
  refusal.stated = ratelimits::LimitSpec{60, 1h};
  refusal.recognised = true;
  line.scheduler.refused(line.account.id, refusal, now + 61s);
  const Status b = line.send("ns/b");
  REQUIRE_FALSE(b);
  CHECK(b.error().code() == acme::ProblemType::RateLimited);

  // The closing ends with one token: ns/c takes it, and ns/d, whose turn
  // came as early, waits for the next rather than meeting the CA's limit.
  line.clock.advance(62s);
  CHECK(line.send("ns/c"));
  const Status d = line.send("ns/d");
  REQUIRE_FALSE(d);
  CHECK(d.error().code() == acme::ProblemType::RateLimited);
  CHECK(d.error().message().starts_with(controller::kRefusedHere));
  REQUIRE(d.error().retry_after());
  CHECK(*d.error().retry_after() > 50s);
}

TEST_CASE("turns given under limits an Issuer then changed ask the new ones when they go") {
  Line line;
  line.account.told = true;
  line.account.limits.new_orders_per_account = {2, 1h};
  line.request("ns/a");
  line.request("ns/b");
  REQUIRE(test::eventually([&] { return line.turns() == 2; }));
  // The Issuer's annotation now says one an hour: a new budget, in which
  // the two turns out hold no token.
  line.account.limits.new_orders_per_account = {1, 1h};
  line.request("ns/c");
  REQUIRE(test::eventually([&] { return line.turns() == 3; }));
  int went = 0;
  for (const char* certificate : {"ns/a", "ns/b", "ns/c"}) {
    const Status sent = line.send(certificate);
    CHECK((sent || sent.error().code() == acme::ProblemType::RateLimited));
    went += sent ? 1 : 0;
  }
  CHECK(went == 1);
}
