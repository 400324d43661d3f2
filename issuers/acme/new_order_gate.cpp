// NewOrderGate: closing, waiting and the one-at-a-time slot.
#include "issuers/acme/new_order_gate.hpp"

#include <algorithm>

#include <boost/asio/this_coro.hpp>

#include "core/acme/problem.hpp"
#include "core/duration.hpp"

namespace certmill::issuers::acme {
namespace {

bool cancelled_now(const asio::cancellation_state& state) {
  return state.cancelled() != asio::cancellation_type::none;
}

Error cancelled_waiting() {
  return Error(std::make_error_code(std::errc::operation_canceled),
               "cancelled while waiting to send newOrder");
}

}  // namespace

std::chrono::seconds gate_closing(std::chrono::seconds retry_after, const NewOrderLimits& limits) {
  const auto low = std::max(limits.min_wait, std::chrono::seconds(1));
  return std::clamp(retry_after, low, std::max(low, limits.max_wait));
}

NewOrderGate::Slot::~Slot() {
  if (gate_ != nullptr)
    gate_->leave();
}

asio::awaitable<Result<NewOrderGate::Slot>> NewOrderGate::enter() {
  co_await asio::this_coro::throw_if_cancelled(false);
  if (!released_)
    released_.emplace(co_await asio::this_coro::executor);
  for (;;) {
    if (cancelled_now(co_await asio::this_coro::cancellation_state))
      co_return cancelled_waiting();
    const auto now = clock_.now();
    if (now < open_at_) {
      const auto remaining = std::chrono::ceil<std::chrono::seconds>(open_at_ - now);
      if (remaining > limits_.max_wait) {
        co_return Error(certmill::acme::ProblemType::RateLimited,
                        "newOrder is held back for this ACME account for " +
                            format_duration(remaining) + " more, longer than an order waits (" +
                            format_duration(limits_.max_wait) + ")")
            .with_retry_after(remaining);
      }
      if (auto ec = co_await clock_.sleep_until(open_at_); ec)
        co_return cancelled_waiting();
      continue;
    }
    if (busy_) {
      co_await released_->wait();
      continue;
    }
    busy_ = true;
    co_return Slot(this);
  }
}

void NewOrderGate::close(std::chrono::seconds retry_after) {
  ++closings_;
  last_retry_after_ = retry_after;
  open_at_ = std::max(open_at_, clock_.now() + gate_closing(retry_after, limits_));
}

void NewOrderGate::leave() {
  busy_ = false;
  released_->notify_all();
}

}  // namespace certmill::issuers::acme
