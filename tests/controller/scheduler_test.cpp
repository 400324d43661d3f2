// The scheduler's pure part: renewals spread inside their window by uid, and
// the due ones taken soonest-expiring first within a budget.
#include <catch2/catch.hpp>

#include "controller/renewal_queue.hpp"
#include "controller/renewal_spread.hpp"
#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;
using std::chrono::hours;

TEST_CASE("a renewal is spread over the first tenth of its window, the same way every time") {
  const Time renew = test::t0 + hours(1440);
  const Time not_after = test::t0 + hours(2160);
  const Time limit = renew + hours(72);  // a tenth of 720 h
  Time lowest = limit, highest = renew;
  for (int i = 0; i < 1000; ++i) {
    const std::string uid = "uid-" + std::to_string(i);
    const Time at = spread_renewal_time(renew, not_after, uid);
    CHECK(at >= renew);
    CHECK(at <= limit);
    CHECK(at == spread_renewal_time(renew, not_after, uid));
    lowest = std::min(lowest, at);
    highest = std::max(highest, at);
  }
  // A thousand Certificates issued together do not renew together.
  CHECK(highest - lowest > hours(60));
}

TEST_CASE("the spread can be narrowed, widened, or switched off") {
  const Time renew = test::t0;
  const Time not_after = test::t0 + hours(100);
  CHECK(spread_renewal_time(renew, not_after, "a", {0}) == renew);
  CHECK(spread_renewal_time(renew, not_after, "a", {1000}) <= not_after);
  CHECK(spread_renewal_time(renew, renew, "a") == renew);
  CHECK(spread_renewal_time(renew, renew - hours(1), "a") == renew);
}

TEST_CASE("due renewals go soonest-expiring first, within the budget") {
  RenewalQueue q;
  q.upsert("apps/late", test::t0 + hours(1), test::t0 + hours(900));
  q.upsert("apps/urgent", test::t0 + hours(2), test::t0 + hours(10));
  q.upsert("apps/middle", test::t0, test::t0 + hours(300));
  q.upsert("apps/future", test::t0 + hours(50), test::t0 + hours(5));
  CHECK(q.size() == 4);
  CHECK(q.next_due() == test::t0);

  CHECK(q.pop_due(test::t0 + hours(3), 2) ==
        std::vector<std::string>{"apps/urgent", "apps/middle"});
  CHECK(q.pop_due(test::t0 + hours(3), 2) == std::vector<std::string>{"apps/late"});
  CHECK(q.pop_due(test::t0 + hours(3), 2).empty());
  CHECK(q.next_due() == test::t0 + hours(50));
}

TEST_CASE("one entry per key: a new due time replaces the old, and erase forgets it") {
  RenewalQueue q;
  q.upsert("apps/web", test::t0, test::t0 + hours(10));
  q.upsert("apps/web", test::t0 + hours(5), test::t0 + hours(10));
  CHECK(q.size() == 1);
  CHECK(q.pop_due(test::t0 + hours(1), 10).empty());
  CHECK(q.next_due() == test::t0 + hours(5));
  q.erase("apps/web");
  CHECK(q.size() == 0);
  CHECK_FALSE(q.next_due());
  q.erase("apps/none");
}
