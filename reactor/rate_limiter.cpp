// RateLimiter. Waiters park on never-expiring timers in a queue ordered by
// (priority, arrival); one dispatcher coroutine sleeps until the bucket has a
// token and hands it to the head of the queue.
#include "reactor/rate_limiter.hpp"

#include <cstdint>
#include <map>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::reactor {

struct RateLimiter::State {
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& ex)
        : timer(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer timer;
    bool granted = false;
  };
  // Key: (-priority, arrival) so that begin() is the next to serve.
  using Queue = std::map<std::pair<int, std::uint64_t>, std::shared_ptr<Waiter>>;

  State(Clock& c, double rate, double burst) : clock(c), bucket(rate, burst, c.now()) {}

  Clock& clock;
  TokenBucket bucket;
  Queue queue;
  std::uint64_t arrivals = 0;
  bool dispatching = false;
  bool closed = false;
};

asio::awaitable<void> RateLimiter::dispatch(std::shared_ptr<State> s) {
  while (!s->queue.empty() && !s->closed) {
    const Duration wait = s->bucket.time_until(s->clock.now());
    if (wait > Duration::zero()) {
      co_await s->clock.sleep_for(wait);
      continue;
    }
    if (!s->bucket.try_take(s->clock.now()))
      continue;
    auto head = s->queue.begin();
    head->second->granted = true;
    head->second->timer.cancel();
    s->queue.erase(head);
  }
  s->dispatching = false;
}

RateLimiter::RateLimiter(Clock& clock, double rate, double burst)
    : state_(std::make_shared<State>(clock, rate, burst)) {}

RateLimiter::~RateLimiter() {
  state_->closed = true;
}

std::size_t RateLimiter::waiting() const {
  return state_->queue.size();
}

asio::awaitable<boost::system::error_code> RateLimiter::acquire(int priority) {
  auto s = state_;
  // A caller cancelled before it asks gets no token: a loop that takes one
  // per step would otherwise go on while the bucket lasts.
  const asio::cancellation_state cancelled = co_await asio::this_coro::cancellation_state;
  if (cancelled.cancelled() != asio::cancellation_type::none)
    co_return asio::error::operation_aborted;
  if (s->queue.empty() && s->bucket.try_take(s->clock.now()))
    co_return boost::system::error_code{};

  const auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<State::Waiter>(executor);
  const auto key = std::make_pair(-priority, s->arrivals++);
  s->queue.emplace(key, waiter);
  if (!s->dispatching) {
    s->dispatching = true;
    asio::co_spawn(executor, dispatch(s), asio::detached);
  }
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (waiter->granted)
    co_return boost::system::error_code{};
  s->queue.erase(key);
  co_return asio::error::operation_aborted;
}

}  // namespace certmill::reactor
