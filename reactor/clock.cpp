// SystemClock and FakeClock. A fake sleeper parks on a timer that never
// expires; advance() cancels that timer from the sleeper's own executor, and
// the sleeper tells "woken" from "cancelled" by comparing now with its deadline.
#include "reactor/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::reactor {
namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }

  asio::awaitable<boost::system::error_code> sleep_until(TimePoint deadline) override {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(std::max(deadline - now(), TimePoint::duration::zero()));
    auto [ec] = co_await timer.async_wait(kAwait);
    co_return ec;
  }
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(TimePoint start) : now_(start) {}

TimePoint FakeClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

asio::awaitable<boost::system::error_code> FakeClock::sleep_until(TimePoint deadline) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                    asio::steady_timer::time_point::max());
  {
    std::lock_guard lock(mutex_);
    if (deadline <= now_)
      co_return boost::system::error_code{};
    sleepers_.emplace(deadline, timer);
  }
  co_await timer->async_wait(kAwait);
  std::lock_guard lock(mutex_);
  if (now_ >= deadline)
    co_return boost::system::error_code{};
  // Cancelled from outside: forget this sleeper.
  for (auto [it, end] = sleepers_.equal_range(deadline); it != end; ++it) {
    if (it->second.lock() == timer) {
      sleepers_.erase(it);
      break;
    }
  }
  co_return asio::error::operation_aborted;
}

void FakeClock::advance(Duration d) {
  std::lock_guard lock(mutex_);
  now_ += std::chrono::duration_cast<TimePoint::duration>(d);
  const auto due_end = sleepers_.upper_bound(now_);
  for (auto it = sleepers_.begin(); it != due_end; ++it) {
    if (auto timer = it->second.lock()) {
      asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    }
  }
  sleepers_.erase(sleepers_.begin(), due_end);
}

std::size_t FakeClock::sleepers() const {
  std::lock_guard lock(mutex_);
  return sleepers_.size();
}

std::optional<TimePoint> FakeClock::next_deadline() const {
  std::lock_guard lock(mutex_);
  if (sleepers_.empty())
    return std::nullopt;
  return sleepers_.begin()->first;
}

}  // namespace certmill::reactor
