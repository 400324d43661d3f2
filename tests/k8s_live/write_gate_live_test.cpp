// Writes from every shard share one limiter on its owner shard: the burst
// passes, the rest wait for tokens (a fake clock hands them out), urgent
// writes go first, and reads are never held.
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>

#include "core/api/secret.hpp"
#include "k8s/write_gate.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST_CASE("writes from two shards share one limiter and urgent ones go first") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  reactor::FakeClock clock(reactor::TimePoint{} + 24h * 365 * 56);
  reactor::Reactor reactor(2, clock);
  reactor::RateLimiter limiter(clock, 1, 3);  // 1 write per second, burst 3
  std::vector<std::unique_ptr<Client>> clients;
  for (unsigned i = 0; i < 2; ++i) {
    clients.push_back(test::make_client(reactor.shard(i), config));
    clients.back()->set_write_gate(make_write_gate(reactor.shard(0), limiter));
  }
  reactor.start();

  std::mutex mutex;
  std::vector<std::string> written;  // in the order the server accepted them
  auto write = [&](unsigned shard, std::string name, int priority) {
    asio::co_spawn(
        reactor.shard(shard).executor(),
        [&, shard, name, priority]() -> asio::awaitable<void> {
          api::Secret s;
          s.metadata.namespace_ = "default";
          s.metadata.name = name;
          if (co_await clients[shard]->create(s, priority)) {
            std::lock_guard lock(mutex);
            written.push_back(name);
          }
        },
        asio::detached);
  };
  // The limiter belongs to shard 0: look at it from there.
  auto waiting = [&] {
    return reactor::run_and_wait(reactor.shard(0).executor(), [&] { return limiter.waiting(); });
  };
  auto count = [&] {
    std::lock_guard lock(mutex);
    return written.size();
  };

  for (int i = 0; i < 6; ++i)
    write(i % 2, "routine-" + std::to_string(i), kPriorityRoutine);
  REQUIRE(test::eventually([&] { return count() == 3; }));  // the burst
  REQUIRE(test::eventually([&] { return waiting() == 3; }));
  write(1, "urgent", kPriorityUrgent);
  REQUIRE(test::eventually([&] { return waiting() == 4; }));

  // Reads do not queue behind the writes.
  auto read = test::run_on(reactor.shard(1), [&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await clients[1]->get<api::Secret>("default", "routine-0");
  });
  CHECK((read.ok() || is_not_found(read.error())));

  clock.advance(1s);
  REQUIRE(test::eventually([&] { return count() == 4; }));
  {
    std::lock_guard lock(mutex);
    CHECK(written.back() == "urgent");
  }
  for (int i = 0; i < 3; ++i)
    clock.advance(1s);
  REQUIRE(test::eventually([&] { return count() == 7; }));
  reactor.shutdown(1s, 1s).get();
  reactor.join();
}
