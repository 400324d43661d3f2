// Conflicts resolve by re-reading and re-deciding: writers that race on one
// Secret all land their change, none overwrites another's.
#include <atomic>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "core/api/secret.hpp"
#include "k8s/modify.hpp"
#include "tests/k8s_live/live.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;

TEST_CASE("racing writers each land their change through 409s") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  reactor::Reactor reactor(2);
  reactor.start();
  std::vector<std::unique_ptr<Client>> clients;
  for (unsigned i = 0; i < 2; ++i)
    clients.push_back(test::make_client(reactor.shard(i), config));

  api::Secret secret;
  secret.metadata.namespace_ = "default";
  secret.metadata.name = "shared";
  REQUIRE(test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::Secret>> {
            co_return co_await clients[0]->create(secret);
          }).ok());

  // 2 shards x 10 writers, each adding its own label to the same Secret.
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  std::vector<std::future<void>> done;
  for (unsigned shard = 0; shard < 2; ++shard) {
    for (int w = 0; w < 10; ++w) {
      const std::string label = "writer-" + std::to_string(shard) + "-" + std::to_string(w);
      done.push_back(asio::co_spawn(
          reactor.shard(shard).executor(),
          [&, shard, label]() -> asio::awaitable<void> {
            auto r = co_await modify<api::Secret>(
                *clients[shard], "default", "shared",
                [&](api::Secret& s) { return s.metadata.labels.emplace(label, "yes").second; },
                Target::Object, kPriorityRoutine, 50);
            ++(r ? written : failed);
          },
          asio::use_future));
    }
  }
  for (auto& f : done)
    f.get();
  CHECK(failed == 0);
  CHECK(written == 20);

  auto final = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await clients[0]->get<api::Secret>("default", "shared");
  });
  REQUIRE(final.ok());
  CHECK(final->metadata.labels.size() == 20);

  // Nothing to change: no write at all.
  const std::string version = final->metadata.resource_version;
  auto unchanged = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await modify<api::Secret>(*clients[0], "default", "shared",
                                           [](api::Secret&) { return false; });
  });
  REQUIRE(unchanged.ok());
  CHECK(unchanged->metadata.resource_version == version);
}
