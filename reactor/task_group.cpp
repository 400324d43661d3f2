// TaskGroup. An exception escaping a task is a bug: it is logged and the task
// ends; the shard goes on.
#include "reactor/task_group.hpp"

#include <boost/asio/this_coro.hpp>

#include "core/log.hpp"

namespace certmill::reactor {

TaskGroup::TaskGroup(const asio::any_io_executor& executor)
    : executor_(executor), signals_(std::make_shared<Signals>()), changed_(executor) {}

void TaskGroup::Completion::operator()(std::exception_ptr error) {
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log::error("task ended with an exception", {{"what", e.what()}});
    } catch (...) {
      log::error("task ended with an unknown exception");
    }
  }
  signals->erase(signal);
  group->changed_.notify_all();
}

void TaskGroup::cancel(asio::cancellation_type type) {
  for (auto& signal : *signals_)
    signal.emit(type);
}

asio::awaitable<void> TaskGroup::wait_empty() {
  while (!signals_->empty()) {
    co_await changed_.wait();
    // A waiter that is itself cancelled (the loser of `||`) stops waiting.
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return;
  }
}

}  // namespace certmill::reactor
