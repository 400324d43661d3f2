// WorkQueue: de-duplication, earliest due time, one run per key at a time,
// and backoff on failure.
#include "k8s/work_queue.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::k8s;
using namespace std::chrono_literals;
using TP = WorkQueue::TimePoint;

namespace {
const TP t0 = TP{} + 24h * 365 * 56;
}

TEST_CASE("a key is queued once and the earliest due time wins") {
  WorkQueue q;
  q.add("ns/a", t0 + 10s);
  q.add("ns/a", t0 + 5s);
  q.add("ns/a", t0 + 20s);
  CHECK(q.queued() == 1);
  CHECK(q.next_due() == t0 + 5s);
  CHECK_FALSE(q.pop(t0 + 4s));
  CHECK(q.pop(t0 + 5s) == "ns/a");
  CHECK_FALSE(q.pop(t0 + 1h));
}

TEST_CASE("keys come out by due time, then in arrival order") {
  WorkQueue q;
  q.add("c", t0 + 2s);
  q.add("a", t0 + 1s);
  q.add("b", t0 + 2s);
  q.add("d", t0);
  std::vector<std::string> order;
  while (auto k = q.pop(t0 + 10s))
    order.push_back(*k);
  CHECK(order == std::vector<std::string>{"d", "a", "c", "b"});
}

TEST_CASE("a running key is not handed out again: a change during the run re-runs it after") {
  WorkQueue q;
  q.add("ns/a", t0);
  REQUIRE(q.pop(t0) == "ns/a");
  q.add("ns/a", t0);  // an event arrives while it reconciles
  CHECK(q.queued() == 0);
  CHECK_FALSE(q.pop(t0 + 1s));
  CHECK(q.running() == 1);
  q.done("ns/a");
  CHECK(q.running() == 0);
  CHECK(q.pop(t0 + 1s) == "ns/a");
  q.done("ns/a");
  CHECK_FALSE(q.contains("ns/a"));
}

TEST_CASE("failures back off exponentially up to the cap, and success resets") {
  WorkQueue q({5s, 60s, 0.0});
  const std::vector<Duration> expected = {5s, 10s, 20s, 40s, 60s, 60s};
  TP now = t0;
  q.add("k", now);
  for (const Duration want : expected) {
    REQUIRE(q.pop(now) == "k");
    CHECK(q.failed("k", now, 0.5) == want);
    CHECK_FALSE(q.pop(now + want - 1ms));
    now += want;
  }
  REQUIRE(q.pop(now) == "k");
  q.done("k");
  q.add("k", now);
  REQUIRE(q.pop(now) == "k");
  CHECK(q.failed("k", now, 0.5) == 5s);
}

TEST_CASE("jitter keeps a failure's delay within its bounds") {
  WorkQueue q({10s, 1h, 0.2});
  q.add("k", t0);
  REQUIRE(q.pop(t0));
  CHECK(q.failed("k", t0, 0.0) == 8s);
  REQUIRE(q.pop(t0 + 8s));
  CHECK(q.failed("k", t0 + 8s, 0.999999) > 23s);
}

TEST_CASE("a change during a failing run is not held back by the backoff") {
  WorkQueue q({1min, 1h, 0.0});
  q.add("k", t0);
  REQUIRE(q.pop(t0));
  q.add("k", t0 + 1s);
  q.failed("k", t0 + 2s, 0.5);
  CHECK(q.next_due() == t0 + 1s);
}

TEST_CASE("forget drops a queued key, and a running key after its run") {
  WorkQueue q;
  q.add("gone", t0);
  q.add("kept", t0);
  q.forget("gone");
  CHECK(q.pop(t0) == "kept");
  q.add("kept", t0);
  q.forget("kept");
  q.done("kept");
  CHECK_FALSE(q.contains("kept"));
  CHECK_FALSE(q.pop(t0 + 1h));
}

TEST_CASE("pop reports how long a key waited past its due time") {
  WorkQueue q;
  q.add("a", t0);
  q.add("b", t0 + 10s);
  Duration waited{};
  REQUIRE(q.pop(t0 + 30s, &waited) == "a");
  CHECK(waited == 30s);
  REQUIRE(q.pop(t0 + 30s, &waited) == "b");
  CHECK(waited == 20s);
}
