// The runner on a real shard and the fake clock: each kind's reconcile gets
// its own objects, an object queued twice runs once, a failure comes back
// after the queue's backoff, at most max_in_flight run at once, and each
// kind's calls and errors are counted.
#include "controller/runtime/runner.hpp"

#include <atomic>
#include <mutex>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "reactor/run_on.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::controller;
using namespace std::chrono_literals;
using certmill::test::eventually;

namespace {

const reactor::TimePoint kStart = reactor::TimePoint{} + 24h * 365 * 56;

// A shard with a runner on it, stopped at the end of the test.
struct Fixture {
  explicit Fixture(unsigned max_in_flight)
      : reactor(1, clock),
        queue_metrics(metrics.registry()),
        runner(reactor.shard(0), clock, max_in_flight, queue_metrics.shard(0)) {}
  ~Fixture() {
    auto stopped = reactor.shutdown(1s, 1s);
    while (stopped.wait_for(10ms) != std::future_status::ready)
      clock.advance(1s);
    reactor.join();
  }
  void start() {
    reactor.start();
    reactor.spawn_service(reactor.shard(0), [this] { return runner.run([] { return true; }); });
  }
  // The runner is the shard's: it is touched on the shard only.
  void enqueue(Runner::Kind kind, std::string key) {
    reactor::run_and_wait(reactor.shard(0).executor(), [&] { runner.enqueue(kind, key); });
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex);
    return calls;
  }
  void saw(std::string call) {
    std::lock_guard lock(mutex);
    calls.push_back(std::move(call));
  }

  reactor::FakeClock clock{kStart};
  reactor::Reactor reactor;
  Metrics metrics;
  k8s::QueueMetrics queue_metrics;
  Runner runner;
  std::mutex mutex;
  std::vector<std::string> calls;
};

}  // namespace

TEST_CASE("each kind's reconcile gets its objects, and an object queued twice runs once") {
  Fixture f(8);
  const auto series = f.metrics.controller("certificates");
  auto certificates =
      f.runner.add_kind(series, [&](const std::string& key) -> asio::awaitable<Status> {
        f.saw("certificate " + key);
        co_return Status{};
      });
  auto issuers = f.runner.add_kind(f.metrics.controller("issuers"),
                                   [&](const std::string& key) -> asio::awaitable<Status> {
                                     f.saw("issuer " + key);
                                     co_return Status{};
                                   });
  // Queued before the loop starts: each runs once when it does.
  f.runner.enqueue(certificates, "ns/a");
  f.runner.enqueue(certificates, "ns/a");
  f.runner.enqueue(issuers, "ns/a");
  f.start();
  REQUIRE(eventually([&] { return f.seen().size() == 2; }));
  auto seen = f.seen();
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>{"certificate ns/a", "issuer ns/a"});
  CHECK(series.calls->Value() == 1);
  CHECK(series.errors->Value() == 0);
}

TEST_CASE("a failed reconcile is counted and runs again after its backoff") {
  Fixture f(8);
  const auto series = f.metrics.controller("certificates");
  std::atomic<int> runs{0};
  auto kind = f.runner.add_kind(series, [&](const std::string&) -> asio::awaitable<Status> {
    if (++runs == 1)
      co_return Error(std::make_error_code(std::errc::io_error), "the API server said no");
    co_return Status{};
  });
  f.start();
  f.enqueue(kind, "ns/a");
  REQUIRE(eventually([&] { return series.errors->Value() == 1; }));
  // The queue's first backoff is 5 s with 20 % jitter: not before 4 s.
  f.clock.advance(3900ms);
  CHECK(runs == 1);
  f.clock.advance(2200ms);
  REQUIRE(eventually([&] { return runs == 2; }));
  CHECK(series.calls->Value() == 2);
  CHECK(series.errors->Value() == 1);
}

TEST_CASE("no more than max_in_flight reconciles run at once") {
  Fixture f(2);
  std::atomic<int> running{0}, most{0}, finished{0};
  auto kind = f.runner.add_kind(f.metrics.controller("certificates"),
                                [&](const std::string&) -> asio::awaitable<Status> {
                                  most = std::max(most.load(), ++running);
                                  co_await f.clock.sleep_for(10s);
                                  --running;
                                  ++finished;
                                  co_return Status{};
                                });
  f.start();
  for (int i = 0; i < 5; ++i)
    f.enqueue(kind, "ns/c" + std::to_string(i));
  for (int done = 0; done < 5;) {
    const int sleeping = std::min(2, 5 - done);
    REQUIRE(eventually([&] { return running == sleeping && f.clock.sleepers() == 1u * sleeping; }));
    f.clock.advance(10s);
    done += sleeping;
    REQUIRE(eventually([&] { return finished == done; }));
  }
  CHECK(most == 2);
}
