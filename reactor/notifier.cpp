// Notifier::wait.
#include "reactor/notifier.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::reactor {

asio::awaitable<void> Notifier::wait() {
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace certmill::reactor
