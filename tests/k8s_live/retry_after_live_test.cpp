// The client against kube-sim answering 429 with Retry-After: 1: the same
// request is not sent again before the second has passed (it fails at once,
// saying so), other requests are, and after it the request goes out again.
#include <thread>

#include <catch2/catch.hpp>

#include "core/api/secret.hpp"
#include "tests/k8s_live/live.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;

namespace {

// kube-sim's own endpoints, through the client's transport (never faulted).
HttpResponse admin(reactor::Shard& shard, Client& client, std::string method, std::string target,
                   std::string body = {}) {
  auto r = test::run_on(shard, [&]() -> asio::awaitable<Result<HttpResponse>> {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.content_type = "application/json";
    co_return co_await client.http().send(request, std::chrono::seconds(10));
  });
  REQUIRE(r.ok());
  REQUIRE(r->status == 200);
  return *r;
}

}  // namespace

TEST_CASE("a request answered 429 with a Retry-After is not sent again before it has passed") {
  test::KubeSim sim;
  reactor::Reactor reactor{1};
  reactor.start();
  auto client = test::make_client(reactor.shard(0), test::client_config(sim));
  const auto set_429 = [&](const char* fraction) {
    admin(reactor.shard(0), *client, "PUT", "/kube-sim/faults",
          std::string("{\"error429\":") + fraction + "}");
  };
  const auto requests_seen = [&] {
    const auto stats = admin(reactor.shard(0), *client, "GET", "/kube-sim/stats");
    const auto at = stats.body.find("\"total\":");
    REQUIRE(at != std::string::npos);
    return std::stoll(stats.body.substr(at + 8));
  };
  const auto get = [&](const char* name) {
    return test::run_on(reactor.shard(0), [&, name]() -> asio::awaitable<Result<api::Secret>> {
      co_return co_await client->get<api::Secret>("default", name);
    });
  };

  set_429("1");
  const auto refused = get("a");
  REQUIRE_FALSE(refused);
  CHECK(is_api_error(refused.error(), 429));
  CHECK(refused.error().retry_after() == std::chrono::seconds(1));
  set_429("0");

  const std::int64_t before = requests_seen();
  const auto held = get("a");  // within the second: not sent
  REQUIRE_FALSE(held);
  CHECK(is_api_error(held.error(), 429));
  CHECK_THAT(held.error().message(), Catch::Contains("not sent again"));
  CHECK(held.error().retry_after() == std::chrono::seconds(1));
  const auto other = get("b");  // another request goes out
  REQUIRE_FALSE(other);
  CHECK(is_not_found(other.error()));
  CHECK(requests_seen() == before + 1);  // "b" only

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto again = get("a");
  REQUIRE_FALSE(again);
  CHECK(is_not_found(again.error()));  // it reached the server
  reactor.shutdown(std::chrono::seconds(1), std::chrono::seconds(1)).get();
  reactor.join();
}
