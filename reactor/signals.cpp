// Termination signals through Asio, so they arrive as ordinary events on a
// shard rather than in an async-signal handler.
#include "reactor/signals.hpp"

#include <csignal>

#include <boost/asio/as_tuple.hpp>
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

}  // namespace certmill::reactor
