// IdlePool: which idle connection a request gets, and which are dropped for
// having waited too long, on explicit time points.
#include "reactor/idle_pool.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace std::chrono_literals;

namespace {

using Pool = reactor::IdlePool<int>;
const Pool::TimePoint t0{};

std::unique_ptr<int> connection(int id) {
  return std::make_unique<int>(id);
}

}  // namespace

TEST_CASE("the connection that went idle last is taken first") {
  Pool pool(4, 90s);
  pool.put(connection(1), t0);
  pool.put(connection(2), t0 + 1s);
  auto taken = pool.take(t0 + 2s);
  REQUIRE(taken);
  CHECK(*taken == 2);
  CHECK(pool.size() == 1);
}

TEST_CASE("a connection idle longer than the limit is dropped, not reused") {
  Pool pool(4, 90s);
  pool.put(connection(1), t0);
  pool.put(connection(2), t0 + 60s);
  SECTION("at the limit it is still taken") {
    auto taken = pool.take(t0 + 150s);
    REQUIRE(taken);
    CHECK(*taken == 2);
  }
  SECTION("past it, every older one is dropped on the way") {
    CHECK(pool.take(t0 + 151s) == nullptr);
    CHECK(pool.size() == 0);
  }
  SECTION("the fresh one is taken and the stale one stays behind it until asked") {
    auto taken = pool.take(t0 + 100s);
    REQUIRE(taken);
    CHECK(*taken == 2);
    CHECK(pool.take(t0 + 100s) == nullptr);
    CHECK(pool.size() == 0);
  }
}

TEST_CASE("a full pool closes what it cannot keep, and clear empties it") {
  Pool pool(2, 90s);
  pool.put(connection(1), t0);
  pool.put(connection(2), t0);
  pool.put(connection(3), t0);
  CHECK(pool.size() == 2);
  pool.clear();
  CHECK(pool.size() == 0);
  CHECK(pool.take(t0) == nullptr);
}
