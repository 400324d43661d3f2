// FakeClock: sleepers wake exactly when a test moves time past their deadline.
#include "reactor/clock.hpp"

#include <optional>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "tests/support/loop.hpp"

using namespace certmill::reactor;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
const TimePoint kStart = TimePoint{} + 24h * 365 * 56;
}

TEST_CASE("a fake sleeper wakes when time passes its deadline, not before") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  std::optional<boost::system::error_code> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result = co_await clock.sleep_for(10min); },
      asio::detached);
  io.poll();
  CHECK(clock.sleepers() == 1);
  CHECK(clock.next_deadline() == kStart + 10min);

  clock.advance(9min + 59s);
  io.poll();
  CHECK_FALSE(result.has_value());

  clock.advance(1s);
  io.poll();
  REQUIRE(result.has_value());
  CHECK_FALSE(*result);
  CHECK(clock.sleepers() == 0);
  CHECK(clock.now() == kStart + 10min);
}

TEST_CASE("a deadline already past returns at once") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto ec = co_await clock.sleep_until(kStart - 1s);
        done = !ec;
      },
      asio::detached);
  io.poll();
  CHECK(done);
  CHECK(clock.sleepers() == 0);
}

TEST_CASE("a cancelled fake sleeper returns operation_aborted and is forgotten") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  asio::cancellation_signal cancel;
  std::optional<boost::system::error_code> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result = co_await clock.sleep_for(1h); },
      asio::bind_cancellation_slot(cancel.slot(), asio::detached));
  io.poll();
  REQUIRE(clock.sleepers() == 1);
  cancel.emit(asio::cancellation_type::terminal);
  io.poll();
  REQUIRE(result.has_value());
  CHECK(*result == asio::error::operation_aborted);
  CHECK(clock.sleepers() == 0);
}

TEST_CASE("sleepers wake in deadline order as time advances in steps") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  std::vector<int> woken;
  for (int minutes : {30, 10, 20}) {
    asio::co_spawn(
        io,
        [&, minutes]() -> asio::awaitable<void> {
          co_await clock.sleep_for(std::chrono::minutes(minutes));
          woken.push_back(minutes);
        },
        asio::detached);
  }
  io.poll();
  for (int i = 0; i < 3; ++i) {
    clock.advance(10min);
    io.poll();
  }
  CHECK(woken == std::vector<int>{10, 20, 30});
}

TEST_CASE("the system clock sleeps on a real timer") {
  asio::io_context real;
  auto& io = real;
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto ec = co_await system_clock().sleep_for(1ms);
        done = !ec;
      },
      asio::detached);
  io.run();
  CHECK(done);
}
