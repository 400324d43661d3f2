// WorkerPool: CPU jobs run off the shard and the shard resumes with the result.
#include "reactor/worker_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "reactor/reactor.hpp"

using namespace certmill::reactor;
namespace asio = boost::asio;

TEST_CASE("a worker job runs on a pool thread and the shard gets its result") {
  Reactor reactor(1);
  reactor.start();
  WorkerPool pool(2);
  Shard& shard = reactor.shard(0);
  auto sum = asio::co_spawn(
                 shard.executor(),
                 [&]() -> asio::awaitable<long> {
                   const auto shard_thread = std::this_thread::get_id();
                   long total = co_await pool.run([shard_thread] {
                     CHECK(std::this_thread::get_id() != shard_thread);
                     CHECK(Shard::current() == nullptr);
                     long s = 0;
                     for (long i = 1; i <= 1000; ++i)
                       s += i;
                     return s;
                   });
                   CHECK(Shard::current() == &shard);
                   co_return total;
                 },
                 asio::use_future)
                 .get();
  CHECK(sum == 500500);
}

TEST_CASE("an exception in a worker job reaches the awaiting coroutine") {
  Reactor reactor(1);
  reactor.start();
  WorkerPool pool(1);
  auto message = asio::co_spawn(
                     reactor.shard(0).executor(),
                     [&]() -> asio::awaitable<std::string> {
                       try {
                         co_await pool.run([]() -> int { throw std::runtime_error("bad key"); });
                       } catch (const std::runtime_error& e) {
                         co_return e.what();
                       }
                       co_return "no exception";
                     },
                     asio::use_future)
                     .get();
  CHECK(message == "bad key");
}
