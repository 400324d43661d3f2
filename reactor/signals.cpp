// Termination signals through Asio, so they arrive as ordinary events on a
// shard rather than in an async-signal handler.
#include "reactor/signals.hpp"

#include <csignal>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::reactor {

boost::asio::awaitable<int> wait_for_termination_signal() {
  namespace asio = boost::asio;
  asio::signal_set signals(co_await asio::this_coro::executor, SIGTERM, SIGINT);
  auto [ec, number] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return ec ? 0 : number;
}

void on_termination_signal(const boost::asio::any_io_executor& executor,
                           std::function<void(int signal)> handler) {
  namespace asio = boost::asio;
  asio::co_spawn(
      executor,
      [handler = std::move(handler)]() -> asio::awaitable<void> {
        handler(co_await wait_for_termination_signal());
      },
      asio::detached);
}

}  // namespace certmill::reactor
