// The event recorder against kube-sim: a repeated event is one Event object
// whose count grows, as `kubectl describe` shows it ("x3 over 2m"); a new
// Warning is a log line too, its repeats and Normal events are not.
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/api/event.hpp"
#include "k8s/events.hpp"
#include "reactor/log_sink.hpp"
#include "tests/k8s_live/live.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;

TEST_CASE("a repeated event is written once and then counted") {
  test::KubeSim sim;
  reactor::Reactor reactor(1);
  std::mutex mutex;
  std::vector<std::string> lines;
  reactor::capture_log([&](std::string_view line) {
    const std::lock_guard lock(mutex);
    lines.emplace_back(line);
  });
  reactor.start();
  auto client = test::make_client(reactor.shard(0), test::client_config(sim));
  EventRecorder recorder(*client, reactor::system_clock(), "certmill");
  const api::ObjectReference cert{
      "cert-manager.io/v1", "Certificate", "web", "default", "uid-web", "", ""};
  for (int i = 0; i < 3; ++i) {
    test::run_on(reactor.shard(0), [&]() -> asio::awaitable<void> {
      co_await recorder.record(cert, "Warning", "Failed", "the CA is not ready");
    });
  }
  test::run_on(reactor.shard(0), [&]() -> asio::awaitable<void> {
    co_await recorder.record(cert, "Normal", "Issuing",
                             "Issuing certificate as Secret does not exist");
  });

  auto events =
      test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<api::List<api::Event>>> {
        co_return co_await client->list<api::Event>("default", {});
      });
  REQUIRE(events.ok());
  REQUIRE(events->items.size() == 2);
  std::map<std::string, const api::Event*> by_reason;
  for (const auto& e : events->items)
    by_reason[e.reason] = &e;
  REQUIRE(by_reason.count("Failed"));
  const api::Event& failed = *by_reason["Failed"];
  CHECK(failed.count == 3);
  CHECK(failed.type == "Warning");
  CHECK(failed.involved_object.name == "web");
  CHECK(failed.involved_object.kind == "Certificate");
  CHECK(failed.source.component == "certmill");
  CHECK(failed.first_timestamp.has_value());
  CHECK(failed.last_timestamp >= failed.first_timestamp);
  CHECK(by_reason["Issuing"]->count == 1);
  reactor::capture_log({});
  const std::lock_guard lock(mutex);
  REQUIRE(lines.size() == 1);
  CHECK(lines.front().find("WARN  the CA is not ready object=\"Certificate default/web\" "
                           "reason=Failed") != std::string::npos);
}
