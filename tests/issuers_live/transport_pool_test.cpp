// The ACME transport's keep-alive pool against a server that closes every
// connection once it has answered, while saying keep-alive (as a CA whose
// idle timeout has passed looks to the client): a request that finds its
// pooled connection closed goes again on a new one, never on another pooled
// one that has been idle as long. And a server that closes the connection
// before its answer is whole is a broken connection, which the ACME client
// retries, not an error of another kind.
#include <thread>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include "issuers/acme/transient.hpp"
#include "issuers/acme/transport.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace boost::asio::experimental::awaitable_operators;
namespace asio = boost::asio;

TEST_CASE("an ACME request whose pooled connections were all closed goes on a new connection") {
  test::ScriptedHttp server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
  reactor::Reactor reactor(1);
  reactor.start();
  auto transport = issuers::acme::Transport::create(reactor.shard(0).executor(), {});
  REQUIRE(transport.ok());
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/directory";
  auto get = [&]() -> asio::awaitable<bool> {
    issuers::acme::HttpRequest request;
    request.url = url;
    auto response = co_await (*transport)->send(std::move(request), std::chrono::seconds(5));
    co_return response && response->status == 200;
  };
  auto run = [&](auto make) { return reactor::run_and_wait(reactor.shard(0).executor(), make); };

  const auto both = run([&]() -> asio::awaitable<bool> {
    auto [a, b] = co_await (get() && get());
    co_return a&& b;
  });
  REQUIRE(both);
  REQUIRE((*transport)->idle_connections() == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  CHECK(run(get));
  CHECK((*transport)->idle_connections() == 1);
  CHECK(server.heads().size() == 3);
}

TEST_CASE("a server that closes the connection mid-answer is a transient failure, worth a retry") {
  // A Content-Length of 100 and 2 bytes, then the connection closes.
  test::ScriptedHttp server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}");
  reactor::Reactor reactor(1);
  reactor.start();
  auto transport = issuers::acme::Transport::create(reactor.shard(0).executor(), {});
  REQUIRE(transport.ok());
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/directory";
  const auto answer = reactor::run_and_wait(
      reactor.shard(0).executor(), [&]() -> asio::awaitable<Result<issuers::acme::HttpResponse>> {
        issuers::acme::HttpRequest request;
        request.url = url;
        co_return co_await (*transport)->send(std::move(request), std::chrono::seconds(5));
      });
  REQUIRE_FALSE(answer.ok());
  INFO(answer.error().message());
  CHECK(answer.error().code() == std::errc::connection_aborted);
  CHECK_THAT(answer.error().message(), Catch::Contains("the server closed the connection"));
  CHECK(issuers::acme::is_transient(answer.error()));
}
