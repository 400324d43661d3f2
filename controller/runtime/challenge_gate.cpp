// ChallengeGate's waiting: each waiter has a Notifier of its own, woken only
// when a slot has passed to it, so a freed slot wakes one coroutine.
#include "controller/runtime/challenge_gate.hpp"

#include <boost/asio/this_coro.hpp>

namespace certmill::controller {

asio::awaitable<Status> ChallengeGate::enter(const std::string& token) {
  if (slots_.take(token))
    co_return Status{};
  reactor::Notifier woken(co_await asio::this_coro::executor);
  waiters_[token] = &woken;
  while (!slots_.holds(token)) {
    co_await woken.wait();
    if (slots_.holds(token))
      break;
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      waiters_.erase(token);
      leave(token);
      co_return Error(std::make_error_code(std::errc::operation_canceled),
                      "cancelled while waiting for a challenge slot");
    }
  }
  waiters_.erase(token);
  co_return Status{};
}

void ChallengeGate::leave(const std::string& token) {
  const auto next = slots_.give_back(token);
  if (!next)
    return;
  if (auto it = waiters_.find(*next); it != waiters_.end())
    it->second->notify_all();
}

asio::awaitable<Status> GatedSolver::admit(const issuers::acme::ChallengeTask& task) {
  if (Status entered = co_await gate_.enter(task.token); !entered)
    co_return entered;
  Status admitted = co_await inner_->admit(task);
  if (!admitted)
    gate_.leave(task.token);
  co_return admitted;
}

asio::awaitable<void> GatedSolver::cleanup(const issuers::acme::ChallengeTask& task) {
  co_await inner_->cleanup(task);
  gate_.leave(task.token);
}

}  // namespace certmill::controller
