// Leader election between two candidates, each with its own connection to
// kube-sim as two processes would have: one leader at a time, a handover
// right after a graceful release, and a takeover once a dead leader's Lease
// has gone unrenewed for a lease duration.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "core/api/lease.hpp"
#include "k8s/leader_election.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

LeaderElectionConfig fast(std::string identity) {
  LeaderElectionConfig c;
  c.namespace_ = "default";
  c.name = "certmill-test";
  c.identity = std::move(identity);
  c.lease_duration = 1500ms;
  c.renew_deadline = 1000ms;
  c.retry_period = 100ms;
  return c;
}

// One candidate: a reactor, a client and an elector, like a process.
struct Candidate {
  reactor::Reactor reactor{1};
  std::unique_ptr<Client> client;
  Elector elector;
  Candidate(const ClientConfig& config, std::string identity)
      : elector(fast(std::move(identity)), reactor::system_clock(), {}) {
    client = test::make_client(reactor.shard(0), config);
    reactor.spawn_service(reactor.shard(0),
                          [this]() -> asio::awaitable<void> { co_await elector.run(*client); });
    reactor.start();
  }
  // A killed process: its threads stop, nothing is released.
  ~Candidate() { reactor.stop_now(); }
  void stop_gracefully() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }
};

// Samples both candidates until stopped; counts moments with two leaders.
struct Watchdog {
  std::atomic<bool> stop{false};
  std::atomic<int> overlaps{0};
  std::thread thread;
  Watchdog(const Candidate& a, const Candidate& b)
      : thread([this, &a, &b] {
          while (!stop) {
            if (a.elector.leading() && b.elector.leading())
              ++overlaps;
            std::this_thread::sleep_for(1ms);
          }
        }) {}
  ~Watchdog() {
    stop = true;
    thread.join();
  }
};

}  // namespace

TEST_CASE("a released Lease passes to the other candidate, never to two at a time") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  auto a = std::make_unique<Candidate>(config, "a");
  REQUIRE(test::eventually([&] { return a->elector.leading(); }));
  Candidate b(config, "b");
  Watchdog watchdog(*a, b);
  std::this_thread::sleep_for(500ms);  // b campaigns while a renews
  CHECK_FALSE(b.elector.leading());

  a->stop_gracefully();
  CHECK_FALSE(a->elector.leading());
  REQUIRE(test::eventually([&] { return b.elector.leading(); }));
  CHECK(watchdog.overlaps == 0);

  auto lease = test::run_on(b.reactor.shard(0), [&]() -> asio::awaitable<Result<api::Lease>> {
    co_return co_await b.client->get<api::Lease>("default", "certmill-test");
  });
  REQUIRE(lease.ok());
  CHECK(lease->spec.holder_identity == "b");
  CHECK(lease->spec.lease_transitions == 1);
  b.stop_gracefully();
}

TEST_CASE("a leader that dies without releasing is replaced after the lease lapses") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  auto a = std::make_unique<Candidate>(config, "a");
  REQUIRE(test::eventually([&] { return a->elector.leading(); }));
  Candidate b(config, "b");
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(b.elector.leading());

  a.reset();
  REQUIRE(test::eventually([&] { return b.elector.leading(); }));
  auto lease = test::run_on(b.reactor.shard(0), [&]() -> asio::awaitable<Result<api::Lease>> {
    co_return co_await b.client->get<api::Lease>("default", "certmill-test");
  });
  REQUIRE(lease.ok());
  CHECK(lease->spec.holder_identity == "b");
  CHECK(lease->spec.lease_transitions == 1);
  b.stop_gracefully();
}
