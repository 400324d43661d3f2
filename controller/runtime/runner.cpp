// The runner's loop: take due items while fewer than max_in_flight run, run
// each beside the loop, and sleep until the next is due or something wakes it.
#include "controller/runtime/runner.hpp"

#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"

namespace certmill::controller {

Runner::Runner(reactor::Shard& shard, reactor::Clock& clock, unsigned max_in_flight,
               k8s::QueueMetrics::Shard metrics)
    : shard_(shard),
      clock_(clock),
      max_in_flight_(max_in_flight),
      metrics_(metrics),
      wake_(shard.executor()) {}

Runner::Kind Runner::add_kind(ControllerSeries series, Reconcile reconcile) {
  kinds_.push_back({series, std::move(reconcile)});
  return Kind{static_cast<std::uint8_t>(kinds_.size() - 1)};
}

void Runner::enqueue(Kind kind, const std::string& key, std::optional<reactor::TimePoint> at) {
  queue_.add(k8s::WorkItem{kind.id, key}, at.value_or(clock_.now()));
  wake_.notify_all();
}

void Runner::forget(Kind kind, const std::string& key) {
  queue_.forget(k8s::WorkItem{kind.id, key});
}

asio::awaitable<void> Runner::run(std::function<bool()> ready) {
  using namespace asio::experimental::awaitable_operators;
  co_await asio::this_coro::throw_if_cancelled(false);
  // Decisions on a partial cache are wrong (an issuer not listed yet is
  // "not found"): wait until every informer holds its full list. The
  // handlers have queued every object meanwhile.
  asio::steady_timer poll(shard_.executor());
  while (!ready()) {
    poll.expires_after(std::chrono::milliseconds(20));
    auto [ec] = co_await poll.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
  }
  for (;;) {
    for (unsigned popped = 0;; ++popped) {
      if (in_flight_ >= max_in_flight_)
        break;
      // A reconcile that ends without waiting frees its place at once, so
      // without a yield one pass could run the whole queue in one go, holding
      // the shard while what each finished reconcile leaves to free piles up.
      if (popped == max_in_flight_) {
        co_await asio::post(shard_.executor(), asio::use_awaitable);
        popped = 0;
      }
      Duration waited{};
      auto item = queue_.pop(clock_.now(), &waited);
      if (!item)
        break;
      if (metrics_.wait)
        metrics_.wait->Observe(std::chrono::duration<double>(waited).count());
      ++in_flight_;
      const bool started = shard_.tasks().spawn(
          [this, item = std::move(*item)]() mutable { return run_item(std::move(item)); });
      if (!started) {
        --in_flight_;
        co_return;  // shutting down: no new work
      }
    }
    if (metrics_.depth)
      metrics_.depth->Set(static_cast<double>(queue_.queued()));
    if (metrics_.failing)
      metrics_.failing->Set(static_cast<double>(queue_.failing()));
    const auto next = queue_.next_due();
    if (next && in_flight_ < max_in_flight_) {
      co_await (wake_.wait() || clock_.sleep_until(*next));
    } else {
      co_await wake_.wait();
    }
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return;
  }
}

asio::awaitable<void> Runner::run_item(k8s::WorkItem item) {
  const Registered& kind = kinds_.at(item.kind);
  kind.series.calls->Increment();
  const auto started = std::chrono::steady_clock::now();
  const Status status = co_await kind.reconcile(item.key);
  kind.series.latency->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  --in_flight_;
  if (status) {
    queue_.done(item);
  } else {
    kind.series.errors->Increment();
    static thread_local std::mt19937_64 random(std::random_device{}());
    const Duration delay =
        queue_.failed(item, clock_.now(), std::uniform_real_distribution<double>(0, 1)(random),
                      Duration(status.error().retry_after().value_or(std::chrono::seconds(0))));
    log::warn("reconcile failed; retrying", {{"object", item.key},
                                             {"error", status.error().message()},
                                             {"retry_in", format_duration(delay)}});
  }
  wake_.notify_all();
}

}  // namespace certmill::controller
