// Graceful shutdown with work in flight, on the fake clock: finish within the
// grace period, cancel after it, abandon what ignores cancellation.
#include <atomic>
#include <thread>

#include <boost/asio/this_coro.hpp>
#include <catch2/catch.hpp>

#include "reactor/invoke.hpp"
#include "reactor/reactor.hpp"
#include "tests/support/wait.hpp"

using namespace certmill::reactor;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using certmill::test::eventually;

namespace {
const TimePoint kStart = TimePoint{} + 24h * 365 * 56;

// Deaf to cancellation: a bug shutdown must survive.
asio::awaitable<void> deaf_loop(FakeClock& clock) {
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;)
    co_await clock.sleep_for(1h);
}
}  // namespace

TEST_CASE("work that finishes within the grace period is not cancelled") {
  FakeClock clock(kStart);
  Reactor reactor(2, clock);
  reactor.start();
  std::atomic<int> finished{0};
  for (int i = 0; i < 10; ++i) {
    reactor.spawn(reactor.shard(i % 2), [&]() -> asio::awaitable<void> {
      if (!co_await clock.sleep_for(5s))
        ++finished;
    });
  }
  REQUIRE(eventually([&] { return clock.sleepers() == 10; }));
  auto report = reactor.shutdown(30s, 5s);
  clock.advance(5s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(finished == 10);
  CHECK(r.in_flight == 10);
  CHECK(r.cancelled == 0);
  CHECK(r.abandoned == 0);
}

TEST_CASE("work still running after the grace period is cancelled") {
  FakeClock clock(kStart);
  Reactor reactor(2, clock);
  reactor.start();
  std::atomic<int> aborted{0};
  for (int i = 0; i < 6; ++i) {
    reactor.spawn(reactor.shard(i % 2), [&]() -> asio::awaitable<void> {
      if (co_await clock.sleep_for(1h) == asio::error::operation_aborted)
        ++aborted;
    });
  }
  REQUIRE(eventually([&] { return clock.sleepers() == 6; }));
  auto report = reactor.shutdown(30s, 5s);
  REQUIRE(eventually([&] { return clock.sleepers() == 8; }));  // + one grace timer per shard
  clock.advance(30s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(aborted == 6);
  CHECK(r.in_flight == 6);
  CHECK(r.cancelled == 6);
  CHECK(r.abandoned == 0);
}

TEST_CASE(
    "work that ignores cancellation is abandoned after the force bound, and so is a final "
    "service after its own") {
  FakeClock clock(kStart);
  Reactor reactor(1, clock);
  reactor.start();
  reactor.spawn(reactor.shard(0), [&] { return deaf_loop(clock); });
  REQUIRE(eventually([&] { return clock.sleepers() == 1; }));
  auto report = reactor.shutdown(10s, 5s);
  REQUIRE(eventually([&] { return clock.sleepers() == 2; }));
  clock.advance(10s);
  REQUIRE(eventually([&] { return clock.sleepers() == 2; }));  // re-slept + force timer
  clock.advance(5s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(r.cancelled == 1);
  CHECK(r.abandoned == 1);

  FakeClock final_clock(kStart);
  Reactor with_final(1, final_clock);
  with_final.start();
  with_final.spawn_final_service(with_final.shard(0), [&] { return deaf_loop(final_clock); });
  REQUIRE(eventually([&] { return final_clock.sleepers() == 1; }));
  auto final_report = with_final.shutdown(30s, 5s);
  while (final_report.wait_for(20ms) != std::future_status::ready)
    final_clock.advance(1s);
  CHECK(final_report.get().abandoned == 1);
  with_final.join();
}

TEST_CASE("no new work is accepted once shutdown has begun") {
  FakeClock clock(kStart);
  Reactor reactor(1, clock);
  reactor.start();
  auto report = reactor.shutdown(1s, 1s);
  std::atomic<bool> ran{false};
  reactor.spawn(reactor.shard(0), [&]() -> asio::awaitable<void> {
    ran = true;
    co_return;
  });
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(r.in_flight == 0);
  CHECK_FALSE(ran);
}

TEST_CASE("services are cancelled as soon as shutdown begins, before the grace period") {
  FakeClock clock(kStart);
  Reactor reactor(1, clock);
  reactor.start();
  std::atomic<int> service_ended{0};
  std::atomic<int> task_finished{0};
  reactor.spawn_service(reactor.shard(0), [&]() -> asio::awaitable<void> {
    for (;;) {
      if (co_await clock.sleep_for(1min))
        break;  // a watch loop, say
    }
    ++service_ended;
  });
  reactor.spawn(reactor.shard(0), [&]() -> asio::awaitable<void> {
    if (!co_await clock.sleep_for(10s))
      ++task_finished;
  });
  REQUIRE(eventually([&] { return clock.sleepers() == 2; }));
  auto report = reactor.shutdown(30s, 5s);
  REQUIRE(eventually([&] { return service_ended == 1; }));  // no time has passed
  CHECK(task_finished == 0);
  clock.advance(10s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(task_finished == 1);
  CHECK(r.in_flight == 1);
  CHECK(r.cancelled == 0);
  CHECK(r.abandoned == 0);
}

TEST_CASE(
    "a final service is cancelled only once every shard's tasks and services have ended, and "
    "then at once") {
  FakeClock clock(kStart);
  Reactor reactor(2, clock);
  reactor.start();
  // Each records the moment it ended, in order.
  std::atomic<int> ended{0};
  std::atomic<int> task_ended{0}, service_ended{0}, final_ended{0};
  auto loop_until_cancelled = [&]() -> asio::awaitable<bool> {
    for (;;) {
      if (co_await clock.sleep_for(1min))
        co_return true;
    }
  };
  // The leader election, on shard 0.
  reactor.spawn_final_service(reactor.shard(0), [&]() -> asio::awaitable<void> {
    co_await loop_until_cancelled();
    final_ended = ++ended;
  });
  // Work in flight on shard 1, and a service there that writes once more on
  // its way out (an order saying it was left to be continued).
  reactor.spawn(reactor.shard(1), [&]() -> asio::awaitable<void> {
    co_await clock.sleep_for(10s);
    task_ended = ++ended;
  });
  reactor.spawn_service(reactor.shard(1), [&]() -> asio::awaitable<void> {
    co_await asio::this_coro::throw_if_cancelled(false);
    co_await loop_until_cancelled();
    co_await asio::this_coro::reset_cancellation_state();
    co_await clock.sleep_for(2s);
    service_ended = ++ended;
  });
  REQUIRE(eventually([&] { return clock.sleepers() == 3; }));
  auto report = reactor.shutdown(30s, 5s);
  // The service is cancelled at once and sleeps its last 2 s; the final
  // service waits. Shard 1's drain sleeps until the grace period ends.
  REQUIRE(eventually([&] { return clock.sleepers() == 4; }));
  clock.advance(2s);
  REQUIRE(eventually([&] { return service_ended != 0; }));
  std::this_thread::sleep_for(50ms);
  CHECK(final_ended == 0);
  clock.advance(8s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(service_ended == 1);
  CHECK(task_ended == 2);
  CHECK(final_ended == 3);
  CHECK(r.in_flight == 1);
  CHECK(r.cancelled == 0);
  CHECK(r.abandoned == 0);
}

TEST_CASE("a shard with nothing left keeps answering the others until every shard has drained") {
  FakeClock clock(kStart);
  Reactor reactor(2, clock);
  reactor.start();
  std::atomic<bool> answered{false};
  // Work on shard 1 that, late in the grace period, needs shard 0 (as every
  // API write needs the write limiter there); shard 0 itself is idle.
  reactor.spawn(reactor.shard(1), [&]() -> asio::awaitable<void> {
    if (co_await clock.sleep_for(5s))
      co_return;
    answered = co_await invoke_on(reactor.shard(0), [] { return true; });
  });
  REQUIRE(eventually([&] { return clock.sleepers() == 1; }));
  auto report = reactor.shutdown(30s, 5s);
  // Shard 0 drains at once; shard 1's work goes on.
  std::this_thread::sleep_for(50ms);
  clock.advance(5s);
  const ShutdownReport r = report.get();
  reactor.join();
  CHECK(answered);
  CHECK(r.in_flight == 1);
  CHECK(r.cancelled == 0);
  CHECK(r.abandoned == 0);
}

TEST_CASE("join destroys the frames of abandoned work, while what they use is still there") {
  FakeClock clock(kStart);
  Reactor reactor(2, clock);
  reactor.start();
  // Counted down by each frame's destructor, as a task's guard would touch
  // the object it works on.
  std::atomic<int> frames{0};
  struct Frame {
    std::atomic<int>& frames;
    explicit Frame(std::atomic<int>& n) : frames(n) { ++frames; }
    ~Frame() { --frames; }
  };
  auto deaf = [&]() -> asio::awaitable<void> {
    Frame frame(frames);
    co_await asio::this_coro::throw_if_cancelled(false);
    for (;;)
      co_await clock.sleep_for(1h);
  };
  reactor.spawn(reactor.shard(1), deaf);
  // A task on shard 0 waiting for deaf work on shard 1: destroying the
  // callee's frame hands the caller's back to shard 0, already shut down once.
  reactor.spawn(reactor.shard(0), [&]() -> asio::awaitable<void> {
    Frame frame(frames);
    co_await invoke_on(reactor.shard(1), deaf);
  });
  REQUIRE(eventually([&] { return clock.sleepers() == 2 && frames == 3; }));
  auto report = reactor.shutdown(1s, 1s);
  while (report.wait_for(20ms) != std::future_status::ready)
    clock.advance(1s);
  CHECK(report.get().abandoned == 2);
  CHECK(frames == 3);  // the shards have stopped; the frames are still there
  reactor.join();
  CHECK(frames == 0);
}
