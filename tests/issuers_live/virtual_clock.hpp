// A test clock for ACME waits: a FakeClock for the long waits a test is about
// (a rate limit's Retry-After), virtual time for the short ones (the order
// pipeline's polls, a gate's one second). A sleep of at most `short_wait`
// yields for a millisecond of real time and then moves the fake time to its
// deadline, so an order runs at full speed without the test advancing time for
// every poll; a longer sleep lasts until the test advances the fake clock.
// Every sleep is recorded with the time it began.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "reactor/clock.hpp"

namespace certmill::test {

class VirtualClock final : public reactor::Clock {
 public:
  struct Sleep {
    reactor::TimePoint from;
    reactor::TimePoint until;
  };

  explicit VirtualClock(reactor::TimePoint start,
                        std::chrono::seconds short_wait = std::chrono::seconds(60))
      : fake_(start), short_wait_(short_wait) {}

  reactor::TimePoint now() const override { return fake_.now(); }

  boost::asio::awaitable<boost::system::error_code> sleep_until(
      reactor::TimePoint deadline) override {
    namespace asio = boost::asio;
    const auto from = now();
    {
      std::lock_guard lock(mutex_);
      sleeps_.push_back({from, deadline});
    }
    if (deadline - from > short_wait_)
      co_return co_await fake_.sleep_until(deadline);
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec)
      co_return ec;
    if (const auto at = now(); at < deadline)
      fake_.advance(deadline - at);
    co_return boost::system::error_code{};
  }

  // Moves the fake time; long sleepers whose deadline came wake up.
  void advance(Duration d) { fake_.advance(d); }
  // Long sleeps not yet woken.
  std::size_t long_sleepers() const { return fake_.sleepers(); }
  std::vector<Sleep> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }
  // The recorded sleeps longer than `short_wait`.
  std::vector<Sleep> long_sleeps() const {
    std::vector<Sleep> out;
    for (const Sleep& s : sleeps()) {
      if (s.until - s.from > short_wait_)
        out.push_back(s);
    }
    return out;
  }

 private:
  reactor::FakeClock fake_;
  std::chrono::seconds short_wait_;
  mutable std::mutex mutex_;
  std::vector<Sleep> sleeps_;
};

}  // namespace certmill::test
