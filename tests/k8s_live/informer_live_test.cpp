// The informer against kube-sim while kube-sim misbehaves: dropped streams,
// lost history (410, relist), 429/500/503 answers and latency. The cache must
// end equal to the server, each key's changes must arrive in order and once,
// and nothing the label selector excludes may enter it.
#include <future>
#include <map>

#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <prometheus/text_serializer.h>

#include "core/api/secret.hpp"
#include "k8s/informer.hpp"
#include "k8s/metrics.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kManaged = "controller.cert-manager.io/fao";

// What the informer keeps of a Secret: its name, its version and one value.
struct SecretView {
  std::string namespace_;
  std::string name;
  std::string version;
  std::string value;
  bool operator==(const SecretView&) const = default;
};

SecretView view(api::Secret&& s) {
  auto it = s.data.find("key");
  return {s.metadata.namespace_, s.metadata.name, s.metadata.resource_version,
          it == s.data.end() ? "" : it->second.data};
}

api::Secret secret(const std::string& name, const std::string& value, bool managed) {
  api::Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  if (managed)
    s.metadata.labels[std::string(kManaged)] = "true";
  s.data["key"] = api::Bytes{value};
  return s;
}

// Each shard's record of what its partition's handler saw.
struct Seen {
  std::map<std::string, std::vector<long>> versions;  // key -> versions, in order
  int deletes = 0;
};

}  // namespace

TEST_CASE("the informer's cache converges through every fault kube-sim injects") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);

  reactor::Reactor writer_reactor(1);
  writer_reactor.start();
  auto writer = test::make_client(writer_reactor.shard(0), config);
  auto write = [&](auto make) { return test::run_on(writer_reactor.shard(0), std::move(make)); };
  auto fault = [&](std::string body) {
    auto r = write([&]() -> asio::awaitable<Result<HttpResponse>> {
      HttpRequest request;
      request.method = "POST";
      request.target = "/kube-sim/faults";
      request.body = body;
      request.content_type = "application/json";
      co_return co_await writer->http().send(request, 10s);
    });
    REQUIRE(r.ok());
    REQUIRE(r->status == 200);
  };
  auto watchers = [&] {
    auto r = write([&]() -> asio::awaitable<Result<HttpResponse>> {
      HttpRequest request;
      request.target = "/kube-sim/stats";
      co_return co_await writer->http().send(request, 10s);
    });
    REQUIRE(r.ok());
    const auto at = r->body.find("\"watchers\":");
    REQUIRE(at != std::string::npos);
    return std::stoi(r->body.substr(at + 11));
  };
  auto put = [&](const std::string& name, const std::string& value, bool managed) {
    for (int attempt = 0; attempt < 50; ++attempt) {  // retries through injected errors
      auto r = write([&]() -> asio::awaitable<Result<api::Secret>> {
        co_return co_await writer->apply(secret(name, value, managed));
      });
      if (r.ok())
        return;
      // A 429's Retry-After holds the same write back until it has passed.
      std::this_thread::sleep_for(std::max<std::chrono::milliseconds>(
          5ms, r.error().retry_after().value_or(std::chrono::seconds(0))));
    }
    FAIL("could not write " << name);
  };
  auto remove = [&](const std::string& name) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      auto r = write([&]() -> asio::awaitable<certmill::Status> {
        co_return co_await writer->remove<api::Secret>("default", name);
      });
      if (r.ok() || is_not_found(r.error()))
        return;
      std::this_thread::sleep_for(std::max<std::chrono::milliseconds>(
          5ms, r.error().retry_after().value_or(std::chrono::seconds(0))));
    }
    FAIL("could not delete " << name);
  };

  for (int i = 0; i < 30; ++i)
    put("m" + std::to_string(i), "v0", true);
  for (int i = 0; i < 10; ++i)
    put("u" + std::to_string(i), "v0", false);

  reactor::Reactor reactor(2);
  InformerOptions options;
  options.namespace_ = "default";
  options.label_selector = std::string(kManaged) + "=true";
  options.page_size = 7;
  options.watch_timeout = 2s;
  options.backoff = {10ms, 200ms, 2.0, 0.2};
  Informer<api::Secret, SecretView> informer(reactor, options, view);
  std::vector<Seen> seen(reactor.size());
  for (unsigned i = 0; i < reactor.size(); ++i) {
    informer.partition(i).on_change(
        [&seen, i](const std::string& key, const SecretView*, const SecretView* after) {
          if (after == nullptr) {
            ++seen[i].deletes;
          } else {
            seen[i].versions[key].push_back(std::stol(after->version));
          }
        });
  }
  auto client = test::make_client(reactor.shard(0), config);
  reactor.spawn_service(reactor.shard(0),
                        [&]() -> asio::awaitable<void> { co_await informer.run(*client); });
  reactor.start();
  REQUIRE(test::eventually([&] { return informer.synced(); }));

  // Changes interleaved with every fault kube-sim has. First a dropped stream:
  // the watch resumes from the last version seen.
  for (int i = 0; i < 30; i += 3)
    put("m" + std::to_string(i), "v1", true);
  fault(R"({"closeWatches": true})");
  for (int i = 1; i < 30; i += 3)
    put("m" + std::to_string(i), "v1", true);

  // Then history lost while the informer is behind: its shard is held, its
  // stream is closed, objects change and kube-sim forgets; the resume gets 410.
  std::promise<void> release;
  std::promise<void> held;
  asio::post(reactor.shard(0).executor(), [&] {
    held.set_value();
    release.get_future().wait();
  });
  held.get_future().wait();
  // A watch request already on the wire may still register: close until
  // kube-sim has no watcher left.
  REQUIRE(test::eventually([&] {
    fault(R"({"closeWatches": true})");
    std::this_thread::sleep_for(20ms);
    return watchers() == 0;
  }));
  for (int i = 0; i < 5; ++i)
    remove("m" + std::to_string(i));
  fault(R"({"forgetHistory": true})");
  release.set_value();
  fault(R"({"error429": 0.2, "error500": 0.1, "error503": 0.1, "latencyMs": 5})");
  for (int i = 30; i < 40; ++i)
    put("m" + std::to_string(i), "v0", true);
  put("u0", "v1", false);
  fault(R"({"closeWatches": true})");
  fault(R"({"error429": 0, "error500": 0, "error503": 0, "latencyMs": 0})");
  for (int i = 5; i < 10; ++i)
    put("m" + std::to_string(i), "v2", true);

  // The server's view, to compare the cache with.
  std::map<std::string, SecretView> server;
  auto listed = write([&]() -> asio::awaitable<Result<api::List<api::Secret>>> {
    ListOptions list;
    list.label_selector = options.label_selector;
    co_return co_await writer->list<api::Secret>("default", list);
  });
  REQUIRE(listed.ok());
  for (auto& s : listed->items) {
    const std::string key = "default/" + s.metadata.name;
    server[key] = view(std::move(s));
  }
  CHECK(server.size() == 35);

  auto cache_equals_server = [&] {
    std::map<std::string, SecretView> cached;
    for (unsigned i = 0; i < reactor.size(); ++i) {
      reactor::run_and_wait(reactor.shard(i).executor(), [&] {
        for (const SecretView& v : informer.partition(i).objects())
          cached[informer.partition(i).key_of(v)] = v;
      });
    }
    return cached == server;
  };
  // Converged, and watching again: after the relist the informer lists,
  // then starts its next watch after a backoff, which a loaded machine can
  // stretch past the moment the cache is right.
  CHECK(test::eventually(
      [&] { return cache_equals_server() && informer.stats().watches.load() >= 3; }));

  const reactor::ShutdownReport stopped = reactor.shutdown(2s, 2s).get();
  reactor.join();
  CHECK(stopped.abandoned == 0);

  const InformerStats& stats = informer.stats();
  InformerMetrics metrics;
  metrics.add("secrets", stats);
  const std::string text = prometheus::TextSerializer().Serialize(metrics.Collect());
  CHECK_THAT(text, Catch::Contains("certmill_informer_cached_objects{resource=\"secrets\"} 35"));
  CHECK_THAT(text,
             Catch::Contains("certmill_informer_relists_after_gone_total{resource=\"secrets\"} " +
                             std::to_string(stats.gone.load())));
  CHECK(stats.gone.load() >= 1);     // history loss forced a relist
  CHECK(stats.lists.load() >= 2);    // the first list and at least one relist
  CHECK(stats.watches.load() >= 3);  // resumed after every dropped stream
  for (const auto& shard : seen) {
    for (const auto& [key, versions] : shard.versions) {
      INFO(key);
      CHECK(key.rfind("default/m", 0) == 0);  // unlabelled Secrets never enter
      CHECK(std::is_sorted(versions.begin(), versions.end()));
      CHECK(std::adjacent_find(versions.begin(), versions.end()) == versions.end());
    }
  }
  CHECK(seen[0].deletes + seen[1].deletes == 5);
}
