// An order's authorizations run at once against a real Pebble: both challenges
// are out before either is validated while the observer still hears one call
// at a time, the first failure cancels the other, and a cancelled order
// returns only after every presented challenge is cleaned up.
#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "issuers/acme/order.hpp"
#include "tests/issuers_live/acme_live.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;

namespace {

asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor, how_long);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Records "present <name>" and "cleanup <name>" in the order they happen.
// Its check passes only once `names` challenges are presented (never while
// `hold`), so an order that authorizes one at a time never gets past its
// first check. Presenting `failing` waits until every other name is
// presented (at most 5 s) and then fails.
class GatheringSolver final : public ChallengeSolver {
 public:
  asio::awaitable<Status> present(const ChallengeTask& task) override {
    const acme::Identifier& identifier = task.identifier;
    if (identifier.value == failing) {
      for (int i = 0; i < 1000 && presented() + 1 < names; ++i)
        co_await pause(std::chrono::milliseconds(5));
      co_return Error(Errc::invalid_value, "cannot present " + identifier.value);
    }
    events.push_back("present " + identifier.value);
    co_return Status{};
  }
  asio::awaitable<Status> check(const ChallengeTask& task) override {
    if (hold || presented() < names)
      co_return Error(Errc::invalid_value, task.identifier.value + " waits for the others");
    co_return Status{};
  }
  asio::awaitable<void> cleanup(const ChallengeTask& task) override {
    // A real cleanup awaits I/O; a cancelled coroutine that throws at its
    // next co_await would never get past this.
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    events.push_back("cleanup " + task.identifier.value);
  }

  std::size_t presented() const {
    return static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(),
                      [](const std::string& e) { return e.starts_with("present "); }));
  }
  std::vector<std::string> cleaned() const {
    std::vector<std::string> names_cleaned;
    for (const std::string& e : events) {
      if (e.starts_with("cleanup "))
        names_cleaned.push_back(e.substr(8));
    }
    std::sort(names_cleaned.begin(), names_cleaned.end());
    return names_cleaned;
  }

  std::size_t names = 2;
  bool hold = false;
  std::string failing;
  std::vector<std::string> events;
};

// Counts how many of its calls are under way at once; each takes a while,
// as writing a Kubernetes object does.
class OverlapObserver final : public OrderObserver {
 public:
  asio::awaitable<void> order_created(std::string, acme::Order) override { co_return; }
  asio::awaitable<void> challenge_started(std::string, acme::Authorization, acme::Challenge,
                                          std::string) override {
    co_await call("started");
  }
  asio::awaitable<void> challenge_presented(acme::Challenge, std::string) override { co_return; }
  asio::awaitable<void> challenge_waiting(acme::Challenge, std::string) override {
    co_await call("waiting");
  }
  asio::awaitable<void> challenge_finished(acme::Challenge, std::string state,
                                           std::string) override {
    co_await call("finished " + state);
  }
  asio::awaitable<void> order_state(std::string, std::string) override { co_return; }

  int most_at_once = 0;
  std::vector<std::string> calls;

 private:
  asio::awaitable<void> call(std::string what) {
    most_at_once = std::max(most_at_once, ++under_way_);
    co_await pause(std::chrono::milliseconds(20));
    --under_way_;
    calls.push_back(std::move(what));
  }
  int under_way_ = 0;
};

OrderRequest two_names() {
  OrderRequest request;
  request.csr_pem = test::csr_for({"a.example.com", "b.example.com"});
  // A self-check that does not pass gives up after about 9 s of wall time
  // (QuickClock shortens each wait to 10 ms), not the default 10 minutes.
  request.poll.give_up_after = std::chrono::seconds(10);
  request.poll.check_retry_period = std::chrono::seconds(1);
  return request;
}

}  // namespace

TEST_CASE("both challenges of an order are presented before either is validated") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  GatheringSolver solver;
  const OrderRequest request = two_names();

  auto issued = acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
    co_return co_await issue_certificate(*acme.client, request, solver);
  });
  INFO((issued.ok() ? "" : issued.error().message()));
  REQUIRE(issued.ok());
  CHECK_FALSE(issued->chain_pem.empty());
  REQUIRE(solver.events.size() == 4);
  CHECK(solver.events[0].starts_with("present "));
  CHECK(solver.events[1].starts_with("present "));
  CHECK(solver.cleaned() == std::vector<std::string>{"a.example.com", "b.example.com"});
}

TEST_CASE("the observer hears one call at a time while the authorizations run at once") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  GatheringSolver solver;
  OverlapObserver observer;
  OrderRequest request = two_names();
  request.observer = &observer;

  auto issued = acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
    co_return co_await issue_certificate(*acme.client, request, solver);
  });
  INFO((issued.ok() ? "" : issued.error().message()));
  REQUIRE(issued.ok());
  CHECK(observer.most_at_once == 1);
  CHECK(std::count(observer.calls.begin(), observer.calls.end(), "started") == 2);
  CHECK(std::count(observer.calls.begin(), observer.calls.end(), "finished valid") == 2);
  // Both challenges were out at once all the same.
  CHECK(solver.events[1].starts_with("present "));
}

TEST_CASE("the first authorization to fail decides the order and the other is cleaned up") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  GatheringSolver solver;
  solver.hold = true;  // a.example.com stays in its self-check until cancelled
  solver.failing = "b.example.com";
  OrderRequest request = two_names();
  // Held in its self-check, a.example.com would give up after about a minute.
  request.poll.give_up_after = std::chrono::seconds(60);

  const auto started = std::chrono::steady_clock::now();
  auto issued = acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
    co_return co_await issue_certificate(*acme.client, request, solver);
  });
  REQUIRE_FALSE(issued.ok());
  INFO(issued.error().message());
  CHECK(issued.error().message() == "cannot present b.example.com");
  // a.example.com was presented when b.example.com failed, and was cancelled
  // then rather than left to run into its self-check's deadline.
  CHECK(solver.events.front() == "present a.example.com");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  CHECK(solver.cleaned() == std::vector<std::string>{"a.example.com", "b.example.com"});
}

TEST_CASE("a cancelled order returns only once every presented challenge is cleaned up") {
  test::PebbleOptions options;
  options.always_valid = true;
  test::Pebble pebble(options);
  test::AcmeShard acme(pebble.directory_url, test::trusting(pebble));
  test::register_account(acme);
  GatheringSolver solver;
  solver.hold = true;  // both stay in their self-checks until cancelled
  const OrderRequest request = two_names();

  struct Outcome {
    std::size_t presented_when_cancelled = 0;
    std::vector<std::string> cleaned_when_returned;
    Result<IssuedChain> issued = Error(Errc::invalid_value, "not returned");
  };
  const Outcome outcome = acme.run([&]() -> asio::awaitable<Outcome> {
    const auto executor = co_await asio::this_coro::executor;
    asio::cancellation_signal stop;
    Outcome seen;
    bool returned = false;
    // Lives in this frame, which outlives its coroutine (the wait below).
    auto order = [&]() -> asio::awaitable<void> {
      auto issued = co_await issue_certificate(*acme.client, request, solver);
      seen.cleaned_when_returned = solver.cleaned();
      seen.issued = std::move(issued);
      returned = true;
    };
    asio::co_spawn(executor, order(),
                   asio::bind_cancellation_slot(stop.slot(), [](std::exception_ptr error) {
                     if (error)
                       std::rethrow_exception(error);
                   }));
    for (int i = 0; i < 1000 && solver.presented() < 2; ++i)
      co_await pause(std::chrono::milliseconds(5));
    seen.presented_when_cancelled = solver.presented();
    stop.emit(asio::cancellation_type::terminal);
    // `stop`, `seen` and `returned` must outlive the order, so no bound here:
    // an order that never returns is a hang for ctest's timeout.
    while (!returned)
      co_await pause(std::chrono::milliseconds(5));
    co_return seen;
  });
  CHECK(outcome.presented_when_cancelled == 2);
  REQUIRE_FALSE(outcome.issued.ok());
  INFO(outcome.issued.error().message());
  CHECK(outcome.issued.error().code() == std::errc::operation_canceled);
  CHECK(outcome.cleaned_when_returned ==
        std::vector<std::string>{"a.example.com", "b.example.com"});
}
