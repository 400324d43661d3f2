// ChallengeGate and GatedSolver on a real io_context, called as an order
// calls them (admit, present, cleanup): challenges are presented at most
// `limit` at a time, the next one as soon as one is cleaned up, in arrival
// order; one cancelled while it waits leaves the line without ever being
// presented.
#include "controller/runtime/challenge_gate.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>

#include "tests/support/loop.hpp"

using namespace certmill;
using namespace certmill::controller;
namespace asio = boost::asio;

namespace {

// Records what an order's solver is asked to do.
struct RecordingSolver : issuers::acme::ChallengeSolver {
  std::vector<std::string> presented;
  int now = 0;
  int most = 0;
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    presented.push_back(task.token);
    most = std::max(most, ++now);
    co_return Status{};
  }
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask&) override {
    co_return Status{};
  }
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask&) override {
    --now;
    co_return;
  }
};

// A challenge for a.example with `token`, as an order makes it.
issuers::acme::ChallengeTask task(std::string token) {
  return {{"dns", "a.example"}, false, "http-01", std::move(token), "ka"};
}

}  // namespace

TEST_CASE("a shard presents at most its limit of challenges, the rest in arrival order") {
  test::Loop loop;
  ChallengeGate gate(2);
  auto inner = std::make_shared<RecordingSolver>();
  GatedSolver solver(inner, gate);
  std::vector<Status> results(5);
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(
        loop.io,
        [&, i]() -> asio::awaitable<void> {
          const std::string token = "t" + std::to_string(i);
          Status admitted = co_await solver.admit(task(token));
          if (admitted)
            admitted = co_await solver.present(task(token));
          results[static_cast<std::size_t>(i)] = admitted;
        },
        asio::detached);
  }
  loop.poll();
  CHECK(inner->presented == std::vector<std::string>{"t0", "t1"});
  CHECK(gate.presented() == 2);
  CHECK(gate.waiting() == 3);

  const auto clean = [&](std::string token) {
    asio::co_spawn(
        loop.io, [&, token]() -> asio::awaitable<void> { co_await solver.cleanup(task(token)); },
        asio::detached);
    loop.poll();
  };
  clean("t1");
  CHECK(inner->presented == std::vector<std::string>{"t0", "t1", "t2"});
  clean("t0");
  clean("t2");
  CHECK(inner->presented == std::vector<std::string>{"t0", "t1", "t2", "t3", "t4"});
  CHECK(inner->most == 2);
  clean("t3");
  clean("t4");
  CHECK(gate.presented() == 0);
  CHECK(gate.waiting() == 0);
  for (const Status& s : results)
    CHECK(s.ok());
}

TEST_CASE("a challenge cancelled while it waits is never presented and leaves the line") {
  test::Loop loop;
  ChallengeGate gate(1);
  auto inner = std::make_shared<RecordingSolver>();
  GatedSolver solver(inner, gate);
  // Each coroutine holds its token: the solver takes it by reference.
  const auto present = [&](std::string token) {
    asio::co_spawn(
        loop.io,
        [&, token]() -> asio::awaitable<void> {
          Status done = co_await solver.admit(task(token));
          if (done)
            done = co_await solver.present(task(token));
          CHECK(done.ok());
        },
        asio::detached);
  };
  const auto clean = [&](std::string token) {
    asio::co_spawn(
        loop.io, [&, token]() -> asio::awaitable<void> { co_await solver.cleanup(task(token)); },
        asio::detached);
    loop.poll();
  };
  present("first");
  asio::cancellation_signal cancel;
  std::optional<Status> waited;
  asio::co_spawn(
      loop.io,
      [&]() -> asio::awaitable<void> {
        waited = co_await solver.admit(task("second"));
        if (*waited)
          waited = co_await solver.present(task("second"));
      },
      asio::bind_cancellation_slot(cancel.slot(), asio::detached));
  present("third");
  loop.poll();
  CHECK(gate.waiting() == 2);
  cancel.emit(asio::cancellation_type::terminal);
  loop.poll();
  REQUIRE(waited);
  REQUIRE_FALSE(waited->ok());
  CHECK(waited->error().code() == std::errc::operation_canceled);
  CHECK(gate.waiting() == 1);
  CHECK(inner->presented == std::vector<std::string>{"first"});
  clean("first");
  CHECK(inner->presented == std::vector<std::string>{"first", "third"});
}
