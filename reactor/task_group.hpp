// TaskGroup: the coroutines running on one shard, each with its own
// cancellation signal, so shutdown can stop new work, wait for the work in
// flight, and cancel what is left. Used only from its shard's thread.
#pragma once

#include <exception>
#include <list>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>

#include "reactor/notifier.hpp"

namespace certmill::reactor {

class TaskGroup {
 public:
  explicit TaskGroup(const asio::any_io_executor& executor);
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Starts the coroutine `make_task()` returns; false (and `make_task` is
  // never called) once the group is closed. Taking a function rather than an
  // awaitable keeps a lambda's captures alive for as long as its coroutine.
  template <class F>
  bool spawn(F make_task) {
    if (closed_)
      return false;
    auto signal = signals_->emplace(signals_->end());
    asio::co_spawn(
        executor_, std::move(make_task),
        asio::bind_cancellation_slot(signal->slot(), Completion{this, signals_, signal}));
    return true;
  }
  // No new tasks from now on; running ones go on.
  void close() { closed_ = true; }
  bool closed() const { return closed_; }
  // Asks every running task to stop at its next wait.
  void cancel(asio::cancellation_type type = asio::cancellation_type::terminal);
  std::size_t size() const { return signals_->size(); }
  // Returns once no task is running.
  asio::awaitable<void> wait_empty();

 private:
  using Signals = std::list<asio::cancellation_signal>;
  struct Completion {
    TaskGroup* group;
    std::shared_ptr<Signals> signals;
    Signals::iterator signal;
    void operator()(std::exception_ptr error);
  };

  asio::any_io_executor executor_;
  // One signal per task, at a stable address. Shared with each task's
  // completion handler, so the signals outlive the coroutine frames even when
  // the io_context destroys unfinished frames after the group is gone.
  std::shared_ptr<Signals> signals_;
  Notifier changed_;
  bool closed_ = false;
};

}  // namespace certmill::reactor
