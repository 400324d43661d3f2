// RateLimiter on the fake clock: bursts pass, the rest wait for tokens, and
// higher priorities are served first.
#include "reactor/rate_limiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "tests/support/loop.hpp"

using namespace certmill::reactor;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
const TimePoint kStart = TimePoint{} + 24h * 365 * 56;

void acquire(asio::io_context& io, RateLimiter& limiter, int priority, std::vector<int>& order,
             asio::cancellation_slot slot = {}) {
  asio::co_spawn(
      io,
      [&limiter, &order, priority]() -> asio::awaitable<void> {
        if (!co_await limiter.acquire(priority))
          order.push_back(priority);
      },
      asio::bind_cancellation_slot(slot, asio::detached));
}
}  // namespace

TEST_CASE("the burst passes at once and the next waiter gets the next token") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 2, 3);  // 2 per second, burst 3
  std::vector<int> granted;
  for (int i = 0; i < 5; ++i)
    acquire(io, limiter, 0, granted);
  io.poll();
  CHECK(granted.size() == 3);
  CHECK(limiter.waiting() == 2);

  clock.advance(499ms);
  io.poll();
  CHECK(granted.size() == 3);
  clock.advance(1ms);
  io.poll();
  CHECK(granted.size() == 4);
  clock.advance(500ms);
  io.poll();
  CHECK(granted.size() == 5);
  CHECK(limiter.waiting() == 0);
}

TEST_CASE("waiters are served by priority, then in arrival order") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 1, 1);
  std::vector<int> order;
  acquire(io, limiter, 0, order);  // takes the only token
  io.poll();
  for (int p : {1, 5, 1, 9, 0})
    acquire(io, limiter, p, order);
  io.poll();
  for (int i = 0; i < 5; ++i) {
    clock.advance(1s);
    io.poll();
  }
  CHECK(order == std::vector<int>{0, 9, 5, 1, 1, 0});
}

TEST_CASE("a cancelled waiter leaves the queue without spending a token") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 1, 1);
  std::vector<int> order;
  acquire(io, limiter, 0, order);
  asio::cancellation_signal cancel;
  acquire(io, limiter, 7, order, cancel.slot());
  acquire(io, limiter, 3, order);
  io.poll();
  REQUIRE(limiter.waiting() == 2);
  cancel.emit(asio::cancellation_type::terminal);
  io.poll();
  CHECK(limiter.waiting() == 1);
  clock.advance(1s);
  io.poll();
  CHECK(order == std::vector<int>{0, 3});
}

TEST_CASE("a caller cancelled before it asks gets no token, though the bucket has some") {
  certmill::test::Loop loop;
  auto& io = loop.io;
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 1, 3);
  std::vector<boost::system::error_code> answers;
  asio::cancellation_signal cancel;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        // As certmill's long-running coroutines run: a cancellation is an
        // answer they check, not an exception.
        co_await asio::this_coro::throw_if_cancelled(false);
        answers.push_back(co_await limiter.acquire());
        asio::steady_timer other_work(io, std::chrono::hours(1));
        co_await other_work.async_wait(asio::as_tuple(asio::use_awaitable));  // cancelled here
        answers.push_back(co_await limiter.acquire());
        answers.push_back(co_await limiter.acquire());
      },
      asio::bind_cancellation_slot(cancel.slot(), asio::detached));
  io.poll();
  REQUIRE(answers.size() == 1);
  cancel.emit(asio::cancellation_type::terminal);
  io.poll();
  CHECK(answers == std::vector<boost::system::error_code>{
                       {}, asio::error::operation_aborted, asio::error::operation_aborted});
  std::vector<int> order;
  acquire(io, limiter, 0, order);  // the two tokens the cancelled caller did not take
  acquire(io, limiter, 0, order);
  io.poll();
  CHECK(order.size() == 2);
}
