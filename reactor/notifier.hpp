// Notifier: coroutines on one executor wait until another coroutine there says
// something changed. Waiters re-check their condition after waking.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace certmill::reactor {

namespace asio = boost::asio;

class Notifier {
 public:
  explicit Notifier(const asio::any_io_executor& executor)
      : timer_(executor, asio::steady_timer::time_point::max()) {}

  // Returns when notify_all() is called or the awaiting coroutine is cancelled.
  asio::awaitable<void> wait();
  void notify_all() { timer_.cancel(); }

 private:
  // Cancelling a timer that never expires wakes every waiter and leaves the
  // timer ready for the next wait.
  asio::steady_timer timer_;
};

}  // namespace certmill::reactor
