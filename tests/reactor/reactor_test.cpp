// Shards: ownership by key, running work on a chosen shard, and awaiting an
// answer from another shard.
#include "reactor/reactor.hpp"

#include <atomic>
#include <csignal>
#include <future>
#include <set>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "reactor/invoke.hpp"
#include "tests/support/wait.hpp"

using namespace certmill::reactor;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("a key belongs to the same shard every time, and keys spread over shards") {
  std::vector<int> per_shard(4);
  for (int i = 0; i < 4000; ++i) {
    const std::string key = "namespace-" + std::to_string(i % 7) + "/cert-" + std::to_string(i);
    const unsigned shard = Reactor::shard_index(key, 4);
    CHECK(shard == Reactor::shard_index(key, 4));
    ++per_shard[shard];
  }
  for (int n : per_shard)
    CHECK(n > 800);  // an even split is 1000
  CHECK(Reactor::shard_index("default/example", 1) == 0);
}

TEST_CASE("shards default to one per core and each runs on its own thread") {
  Reactor reactor;
  CHECK(reactor.size() == std::max(1u, std::thread::hardware_concurrency()));

  Reactor two(2);
  two.start();
  std::set<std::thread::id> threads;
  for (unsigned i = 0; i < 2; ++i) {
    auto id = asio::co_spawn(
                  two.shard(i).executor(),
                  [&two, i]() -> asio::awaitable<std::thread::id> {
                    CHECK(Shard::current() == &two.shard(i));
                    co_return std::this_thread::get_id();
                  },
                  asio::use_future)
                  .get();
    threads.insert(id);
  }
  CHECK(threads.size() == 2);
  CHECK(threads.count(std::this_thread::get_id()) == 0);
  CHECK(Shard::current() == nullptr);
}

TEST_CASE("invoke_on runs on the target shard and resumes the caller on its own") {
  Reactor reactor(2);
  reactor.start();
  Shard& a = reactor.shard(0);
  Shard& b = reactor.shard(1);
  auto result =
      asio::co_spawn(
          a.executor(),
          [&]() -> asio::awaitable<std::string> {
            const unsigned ran_on = co_await invoke_on(b, [] { return Shard::current()->id(); });
            CHECK(ran_on == 1);
            CHECK(Shard::current() == &a);
            // A coroutine as the function is awaited over there.
            std::string text = co_await invoke_on(b, []() -> asio::awaitable<std::string> {
              co_return "from shard " + std::to_string(Shard::current()->id());
            });
            CHECK(Shard::current() == &a);
            co_return text;
          },
          asio::use_future)
          .get();
  CHECK(result == "from shard 1");
}

TEST_CASE("spawned tasks run in their shard's task group") {
  Reactor reactor(2);
  reactor.start();
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    Shard& owner = reactor.owner_of("ns/cert-" + std::to_string(i));
    reactor.spawn(owner, [&ran, &owner]() -> asio::awaitable<void> {
      if (Shard::current() == &owner)
        ++ran;
      co_return;
    });
  }
  REQUIRE(certmill::test::eventually([&] { return ran == 100; }));
}

TEST_CASE("shard state touched from another shard's thread aborts in the sanitizer build") {
  // In a child process, so that the abort does not take the test runner.
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    Reactor reactor(2);
    reactor.shard(0).assert_owned("state of shard 0, from no shard");  // allowed
    reactor.start();
    std::promise<void> done;
    asio::post(reactor.shard(1).executor(), [&] {
      reactor.shard(1).assert_owned("state of shard 1, from shard 1");  // allowed
      reactor.shard(0).assert_owned("state of shard 0, from shard 1");  // a race
      done.set_value();
    });
    done.get_future().wait();
    reactor.stop_now();
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
#ifdef CERTMILL_SHARD_CHECKS
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
#else
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
#endif
}
