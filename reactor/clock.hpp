// Clock: the one source of "now" and of sleeping, injected everywhere time
// matters, so renewal, backoff and rate limits run in tests on a FakeClock
// that a test advances by hand instead of sleeping.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include "core/duration.hpp"

namespace certmill::reactor {

namespace asio = boost::asio;
using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Completes at `deadline` (at once if it has passed) with no error, or with
  // operation_aborted if the awaiting coroutine is cancelled first.
  virtual asio::awaitable<boost::system::error_code> sleep_until(TimePoint deadline) = 0;
  asio::awaitable<boost::system::error_code> sleep_for(Duration d) {
    return sleep_until(now() + std::chrono::duration_cast<TimePoint::duration>(d));
  }
};

// Wall-clock time; sleeps run on a steady timer of the awaiting executor.
Clock& system_clock();

// Time that moves only when a test says so. Safe to share between shards:
// sleepers are woken on their own executors.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start);
  TimePoint now() const override;
  asio::awaitable<boost::system::error_code> sleep_until(TimePoint deadline) override;

  // Moves time forward and wakes every sleeper whose deadline has come.
  void advance(Duration d);
  std::size_t sleepers() const;
  std::optional<TimePoint> next_deadline() const;

 private:
  // Weak: a sleeper's timer belongs to its coroutine frame, which may be
  // destroyed with its io_context before this clock goes.
  using Timer = std::weak_ptr<asio::steady_timer>;
  mutable std::mutex mutex_;
  TimePoint now_;
  std::multimap<TimePoint, Timer> sleepers_;
};

}  // namespace certmill::reactor
