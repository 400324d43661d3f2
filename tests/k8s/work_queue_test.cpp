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

WorkItem item(std::string key, std::uint8_t kind = 0) {
  return WorkItem{kind, std::move(key)};
}
}  // namespace

TEST_CASE("a key is queued once and the earliest due time wins") {
  WorkQueue q;
  q.add(item("ns/a"), t0 + 10s);
  q.add(item("ns/a"), t0 + 5s);
  q.add(item("ns/a"), t0 + 20s);
  CHECK(q.queued() == 1);
  CHECK(q.next_due() == t0 + 5s);
  CHECK_FALSE(q.pop(t0 + 4s));
  CHECK(q.pop(t0 + 5s) == item("ns/a"));
  CHECK_FALSE(q.pop(t0 + 1h));
}

TEST_CASE("keys come out by due time, then in arrival order") {
  WorkQueue q;
  q.add(item("c"), t0 + 2s);
  q.add(item("a"), t0 + 1s);
  q.add(item("b"), t0 + 2s);
  q.add(item("d"), t0);
  std::vector<std::string> order;
  while (auto k = q.pop(t0 + 10s))
    order.push_back(k->key);
  CHECK(order == std::vector<std::string>{"d", "a", "c", "b"});
}

TEST_CASE("a running key is not handed out again: a change during the run re-runs it after") {
  WorkQueue q;
  q.add(item("ns/a"), t0);
  REQUIRE(q.pop(t0) == item("ns/a"));
  q.add(item("ns/a"), t0);  // an event arrives while it reconciles
  CHECK(q.queued() == 0);
  CHECK_FALSE(q.pop(t0 + 1s));
  CHECK(q.running() == 1);
  q.done(item("ns/a"));
  CHECK(q.running() == 0);
  CHECK(q.pop(t0 + 1s) == item("ns/a"));
  q.done(item("ns/a"));
  CHECK_FALSE(q.contains(item("ns/a")));
}

TEST_CASE("failures back off exponentially up to the cap, and success resets") {
  WorkQueue q({5s, 60s, 0.0});
  const std::vector<Duration> expected = {5s, 10s, 20s, 40s, 60s, 60s};
  TP now = t0;
  q.add(item("k"), now);
  for (const Duration want : expected) {
    REQUIRE(q.pop(now) == item("k"));
    CHECK(q.failed(item("k"), now, 0.5) == want);
    CHECK_FALSE(q.pop(now + want - 1ms));
    now += want;
  }
  REQUIRE(q.pop(now) == item("k"));
  q.done(item("k"));
  q.add(item("k"), now);
  REQUIRE(q.pop(now) == item("k"));
  CHECK(q.failed(item("k"), now, 0.5) == 5s);
}

TEST_CASE("jitter keeps a failure's delay within its bounds") {
  WorkQueue q({10s, 1h, 0.2});
  q.add(item("k"), t0);
  REQUIRE(q.pop(t0));
  CHECK(q.failed(item("k"), t0, 0.0) == 8s);
  REQUIRE(q.pop(t0 + 8s));
  CHECK(q.failed(item("k"), t0 + 8s, 0.999999) > 23s);
}

TEST_CASE("a change during a failing run is not held back by the backoff") {
  WorkQueue q({1min, 1h, 0.0});
  q.add(item("k"), t0);
  REQUIRE(q.pop(t0));
  q.add(item("k"), t0 + 1s);
  q.failed(item("k"), t0 + 2s, 0.5);
  CHECK(q.next_due() == t0 + 1s);
}

TEST_CASE("a failure with the server's Retry-After waits at least that long, change or not") {
  WorkQueue q({5s, 1h, 0.0});
  q.add(item("k"), t0);
  REQUIRE(q.pop(t0));
  CHECK(q.failed(item("k"), t0, 0.5, 30s) == 30s);  // longer than the backoff
  CHECK_FALSE(q.pop(t0 + 29s));
  REQUIRE(q.pop(t0 + 30s));
  CHECK(q.failed(item("k"), t0 + 30s, 0.5, 1s) == 10s);  // shorter: the backoff stands
  REQUIRE(q.pop(t0 + 40s));
  q.add(item("k"), t0 + 41s);  // a change while it runs
  q.failed(item("k"), t0 + 42s, 0.5, 3s);
  CHECK(q.next_due() == t0 + 45s);
  q.add(item("k"), t0 + 43s);  // a change after the failure waits too
  CHECK(q.next_due() == t0 + 45s);
  REQUIRE(q.pop(t0 + 45s));
  q.done(item("k"));
  q.add(item("k"), t0 + 46s);  // once the wait is over, changes run at once
  CHECK(q.next_due() == t0 + 46s);
}

TEST_CASE("forget drops a queued key, and a running key after its run") {
  WorkQueue q;
  q.add(item("gone"), t0);
  q.add(item("kept"), t0);
  q.forget(item("gone"));
  CHECK(q.pop(t0) == item("kept"));
  q.add(item("kept"), t0);
  q.forget(item("kept"));
  q.done(item("kept"));
  CHECK_FALSE(q.contains(item("kept")));
  CHECK_FALSE(q.pop(t0 + 1h));
}

TEST_CASE("pop reports how long a key waited past its due time") {
  WorkQueue q;
  q.add(item("a"), t0);
  q.add(item("b"), t0 + 10s);
  Duration waited{};
  REQUIRE(q.pop(t0 + 30s, &waited) == item("a"));
  CHECK(waited == 30s);
  REQUIRE(q.pop(t0 + 30s, &waited) == item("b"));
  CHECK(waited == 20s);
}

TEST_CASE("one key of two kinds is two items") {
  WorkQueue q;
  q.add(item("ns/a", 1), t0);
  q.add(item("ns/a", 2), t0 + 1s);
  q.add(item("ns/a", 1), t0 + 2s);
  CHECK(q.queued() == 2);
  CHECK(q.pop(t0 + 5s) == item("ns/a", 1));
  CHECK(q.pop(t0 + 5s) == item("ns/a", 2));
  CHECK_FALSE(q.pop(t0 + 5s));
  q.forget(item("ns/a", 1));
  CHECK(q.contains(item("ns/a", 2)));
}

TEST_CASE("failing counts keys whose last run failed, until a run succeeds or the key goes") {
  WorkQueue q({5s, 60s, 0.0});
  q.add(item("a"), t0);
  q.add(item("b"), t0);
  q.add(item("c"), t0);
  CHECK(q.failing() == 0);
  for (const char* key : {"a", "b", "c"})
    REQUIRE(q.pop(t0) == item(key));
  q.failed(item("a"), t0, 0.5);
  q.failed(item("b"), t0, 0.5);
  q.done(item("c"));
  CHECK(q.failing() == 2);
  // A second failure of the same key is still one key failing.
  REQUIRE(q.pop(t0 + 5s) == item("a"));
  CHECK(q.failing() == 2);
  q.failed(item("a"), t0 + 5s, 0.5);
  CHECK(q.failing() == 2);
  REQUIRE(q.pop(t0 + 5s) == item("b"));
  q.done(item("b"));
  CHECK(q.failing() == 1);
  // A deleted object's key takes its failure with it, queued or running.
  q.forget(item("a"));
  CHECK(q.failing() == 0);
  q.add(item("d"), t0 + 20s);
  REQUIRE(q.pop(t0 + 20s) == item("d"));
  q.failed(item("d"), t0 + 20s, 0.5);
  REQUIRE(q.pop(t0 + 25s) == item("d"));
  CHECK(q.failing() == 1);
  q.forget(item("d"));
  q.done(item("d"));
  CHECK(q.failing() == 0);
}
