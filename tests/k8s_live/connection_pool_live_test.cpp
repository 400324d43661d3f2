// The API client's keep-alive pool against a server that closes every
// connection once it has answered, while saying keep-alive (as a server
// whose idle timeout has passed looks to the client): a request that finds
// its pooled connection closed goes again on a new one, never on another
// pooled one that has been idle as long.
#include <thread>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include "k8s/http_client.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace boost::asio::experimental::awaitable_operators;
namespace asio = boost::asio;

TEST_CASE("a request whose pooled connections were all closed goes on a new connection") {
  test::ScriptedHttp server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
  reactor::Reactor reactor(1);
  reactor.start();
  k8s::ClientConfig config;
  config.server = "http://127.0.0.1:" + std::to_string(server.port());
  auto http = k8s::HttpClient::create(reactor.shard(0).executor(), config);
  REQUIRE(http.ok());
  k8s::HttpClient& client = **http;
  auto get = [&]() -> asio::awaitable<bool> {
    k8s::HttpRequest request;
    request.target = "/api";
    auto response = co_await client.send(std::move(request), std::chrono::seconds(5));
    co_return response && response->status == 200;
  };

  // Two requests at once leave two connections in the pool.
  const auto both = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<bool> {
    auto [a, b] = co_await (get() && get());
    co_return a&& b;
  });
  REQUIRE(both);
  REQUIRE((*http)->idle_connections() == 2);
  // The server has closed both by the time the next request comes.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  CHECK(test::run_on(reactor.shard(0), get));
  // The stale pair was dropped; the new connection waits in their place.
  CHECK((*http)->idle_connections() == 1);
  CHECK(server.heads().size() == 3);
}
