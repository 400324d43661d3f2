// The typed client against kube-sim over HTTPS: CRUD, conflicts, patches,
// selectors, paging, and the transport's failures (unreachable server, a
// server certificate that does not verify).
#include <catch2/catch.hpp>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "core/api/secret.hpp"
#include "tests/k8s_live/live.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;

namespace {

api::Secret secret(std::string name, std::map<std::string, std::string> labels = {}) {
  api::Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = std::move(name);
  s.metadata.labels = std::move(labels);
  s.type = "Opaque";
  s.data["key"] = api::Bytes{"value"};
  return s;
}

struct Fixture {
  test::KubeSim sim;
  reactor::Reactor reactor{1};
  std::unique_ptr<Client> client;
  Fixture() {
    reactor.start();
    client = test::make_client(reactor.shard(0), test::client_config(sim));
  }
  template <class F>
  auto run(F f) {
    return test::run_on(reactor.shard(0), std::move(f));
  }
};

}  // namespace

TEST_CASE("create, get, update, patch and delete a Secret over HTTPS") {
  Fixture f;
  Client& c = *f.client;
  auto created = f.run([&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await c.create(secret("web-tls"));
  });
  REQUIRE(created.ok());
  CHECK_FALSE(created->metadata.uid.empty());
  CHECK_FALSE(created->metadata.resource_version.empty());
  CHECK(created->data.at("key").data == "value");

  auto got = f.run([&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await c.get<api::Secret>("default", "web-tls");
  });
  REQUIRE(got.ok());
  CHECK(got->metadata.uid == created->metadata.uid);

  api::Secret changed = *got;
  changed.data["key"] = api::Bytes{"new"};
  auto updated = f.run(
      [&]() -> asio::awaitable<Result<api::Secret>> { co_return co_await c.update(changed); });
  REQUIRE(updated.ok());
  CHECK(updated->metadata.resource_version != got->metadata.resource_version);

  // The same update again carries a stale resourceVersion: 409.
  auto stale = f.run(
      [&]() -> asio::awaitable<Result<api::Secret>> { co_return co_await c.update(changed); });
  REQUIRE_FALSE(stale.ok());
  CHECK(is_conflict(stale.error()));

  auto patched = f.run([&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await c.merge_patch<api::Secret>("default", "web-tls",
                                                  R"({"metadata":{"labels":{"patched":"yes"}}})");
  });
  REQUIRE(patched.ok());
  CHECK(patched->metadata.labels.at("patched") == "yes");
  CHECK(patched->data.at("key").data == "new");

  auto removed = f.run([&]() -> asio::awaitable<certmill::Status> {
    co_return co_await c.remove<api::Secret>("default", "web-tls");
  });
  CHECK(removed.ok());
  auto gone = f.run([&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await c.get<api::Secret>("default", "web-tls");
  });
  REQUIRE_FALSE(gone.ok());
  CHECK(is_not_found(gone.error()));
  CHECK_THAT(gone.error().message(), Catch::Contains("not found"));
}

TEST_CASE("lists page through limit and continue, and filter by label") {
  Fixture f;
  Client& c = *f.client;
  for (int i = 0; i < 7; ++i) {
    auto made = f.run([&]() -> asio::awaitable<Result<api::Secret>> {
      co_return co_await c.create(secret(
          "s" + std::to_string(i), {{"controller.cert-manager.io/fao", i % 2 ? "true" : "false"}}));
    });
    REQUIRE(made.ok());
  }
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    auto page = f.run([&]() -> asio::awaitable<Result<api::List<api::Secret>>> {
      ListOptions options;
      options.continue_token = token;
      options.limit = 3;
      co_return co_await c.list<api::Secret>("default", options);
    });
    REQUIRE(page.ok());
    for (auto& s : page->items)
      names.push_back(s.metadata.name);
    token = page->continue_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  CHECK(pages == 3);
  CHECK(names.size() == 7);

  auto labelled = f.run([&]() -> asio::awaitable<Result<api::List<api::Secret>>> {
    ListOptions options;
    options.label_selector = "controller.cert-manager.io/fao=true";
    co_return co_await c.list<api::Secret>("default", options);
  });
  REQUIRE(labelled.ok());
  CHECK(labelled->items.size() == 3);

  auto invalid = f.run([&]() -> asio::awaitable<Result<api::List<api::Secret>>> {
    ListOptions options;
    options.label_selector = "a in (b";
    co_return co_await c.list<api::Secret>("default", options);
  });
  REQUIRE_FALSE(invalid.ok());
  CHECK(is_api_error(invalid.error(), 400));
}

TEST_CASE("server-side apply as field manager certmill creates, then updates") {
  Fixture f;
  Client& c = *f.client;
  api::Secret s = secret("applied");
  auto first =
      f.run([&]() -> asio::awaitable<Result<api::Secret>> { co_return co_await c.apply(s); });
  REQUIRE(first.ok());
  s.data["key"] = api::Bytes{"second"};
  auto second =
      f.run([&]() -> asio::awaitable<Result<api::Secret>> { co_return co_await c.apply(s); });
  REQUIRE(second.ok());
  CHECK(second->data.at("key").data == "second");
  CHECK(second->metadata.uid == first->metadata.uid);
}

TEST_CASE("a server certificate that does not verify is refused") {
  test::KubeSim sim;
  ClientConfig config = test::client_config(sim);
  // A CA that did not sign kube-sim's certificate: the one of another kube-sim.
  test::KubeSim other;
  config.ca_pem = test::client_config(other).ca_pem;
  reactor::Reactor reactor(1);
  reactor.start();
  auto client = test::make_client(reactor.shard(0), config);
  auto r = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await client->get<api::Secret>("default", "x");
  });
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::StartsWith("TLS handshake with https://127.0.0.1:"));
  CHECK(is_retryable(r.error()));
}

TEST_CASE("an unreachable server is a clear error within the deadline") {
  ClientConfig config;
  config.server = "http://127.0.0.1:1";  // nothing listens on port 1
  reactor::Reactor reactor(1);
  reactor.start();
  auto client = test::make_client(reactor.shard(0), config);
  auto r = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::Secret>> {
    co_return co_await client->get<api::Secret>("default", "x");
  });
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::StartsWith("connecting to http://127.0.0.1:1:"));
}

TEST_CASE("requests are counted by verb, resource and code, with their latency") {
  Fixture f;
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  f.client->set_metrics(&metrics);
  Client& c = *f.client;
  const auto outcomes = f.run([&]() -> asio::awaitable<std::vector<bool>> {
    std::vector<bool> ok;
    ok.push_back((co_await c.create(secret("counted"))).ok());
    ok.push_back((co_await c.create(secret("counted"))).ok());  // 409 AlreadyExists
    ok.push_back((co_await c.get<api::Secret>("default", "counted")).ok());
    ok.push_back((co_await c.get<api::Secret>("default", "missing")).ok());
    ok.push_back((co_await c.list<api::Secret>("default", {})).ok());
    co_return ok;
  });
  CHECK(outcomes == std::vector<bool>{true, false, true, false, true});
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  CHECK_THAT(
      text,
      Catch::Contains(
          R"(certmill_kube_api_requests_total{code="201",resource="secrets",verb="POST"} 1)"));
  CHECK_THAT(
      text,
      Catch::Contains(
          R"(certmill_kube_api_requests_total{code="409",resource="secrets",verb="POST"} 1)"));
  CHECK_THAT(
      text, Catch::Contains(
                R"(certmill_kube_api_requests_total{code="404",resource="secrets",verb="GET"} 1)"));
  CHECK_THAT(
      text,
      Catch::Contains(
          R"(certmill_kube_api_requests_total{code="200",resource="secrets",verb="LIST"} 1)"));
  CHECK_THAT(
      text,
      Catch::Contains(
          R"(certmill_kube_api_request_duration_seconds_count{resource="secrets",verb="GET"} 2)"));
}
