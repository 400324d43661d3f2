// Running one listener until a termination signal.
#include "tools/cli/serve.hpp"

#include <chrono>
#include <cstdio>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "reactor/signals.hpp"

namespace certmill::cmd {

int serve_until_signal(reactor::Reactor& reactor, reactor::HttpListener& listener,
                       std::string_view banner) {
  namespace asio = boost::asio;
  reactor::Shard& shard = reactor.shard(0);
  std::promise<int> signalled;
  asio::co_spawn(
      shard.executor(),
      [&]() -> asio::awaitable<void> {
        signalled.set_value(co_await reactor::wait_for_termination_signal());
      },
      asio::detached);
  asio::co_spawn(shard.executor(), listener.run(), asio::detached);
  reactor.start();
  std::printf("%.*s%u\n", static_cast<int>(banner.size()), banner.data(), listener.port());
  std::fflush(stdout);
  const int signal = signalled.get_future().get();
  asio::post(shard.executor(), [&] { listener.stop(); });
  reactor.shutdown(std::chrono::seconds(2), std::chrono::seconds(1)).get();
  reactor.join();
  return signal;
}

}  // namespace certmill::cmd
