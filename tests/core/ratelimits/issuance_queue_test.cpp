// The deadline-ordered line: who goes first, who is skipped rather than
// blocking others, exempt renewals past a closed account budget, and the
// projection of who will miss.
#include "core/ratelimits/issuance_queue.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;
using namespace std::chrono_literals;

namespace {

const Instant t0 = Instant{} + std::chrono::hours(24 * 365 * 50);

Waiting waiting(std::string key, Instant deadline, std::string domain, bool renewal = false,
                bool replaces = false) {
  return {key, deadline, OrderShape{{domain}, key, {"dns:" + key}, replaces, renewal}};
}

// Admits, and sends each admitted order's newOrder at once.
Admission admit_and_send(IssuanceQueue& line, AccountBudget& budget, Instant now, std::size_t max) {
  auto admission = line.admit(budget, now, max);
  for (const Waiting& w : admission.admitted)
    budget.sent(w.shape, now);
  return admission;
}

std::vector<std::string> keys(const Admission& admission) {
  std::vector<std::string> out;
  for (const Waiting& w : admission.admitted)
    out.push_back(w.key);
  return out;
}

}  // namespace

TEST_CASE("the line admits by deadline, as many as the budget allows, and says when next") {
  AccountBudget budget({{2, 2h}, {}, {}, {}});
  IssuanceQueue line;
  line.wait(waiting("late", t0 + 30 * 24h, "a.com"));
  line.wait(waiting("soon", t0 + 2 * 24h, "b.com"));
  line.wait(waiting("sooner", t0 + 24h, "c.com"));
  const auto first = admit_and_send(line, budget, t0, 10);
  CHECK(keys(first) == std::vector<std::string>{"sooner", "soon"});
  REQUIRE(first.next);
  CHECK(*first.next == t0 + 1h);
  CHECK(line.size() == 1);
  CHECK(admit_and_send(line, budget, t0 + 59min, 10).admitted.empty());
  CHECK(keys(admit_and_send(line, budget, t0 + 1h, 10)) == std::vector<std::string>{"late"});
  CHECK(line.size() == 0);
  CHECK_FALSE(admit_and_send(line, budget, t0 + 1h, 10).next);
}

TEST_CASE("one held domain is skipped, not a block for the rest of the line") {
  AccountBudget budget({{100, 3h}, {1, 168h}, {}, {}}, Duration{});
  IssuanceQueue line;
  line.wait(waiting("busy-1", t0 + 1h, "busy.com"));
  line.wait(waiting("busy-2", t0 + 2h, "busy.com"));
  line.wait(waiting("quiet", t0 + 3h, "quiet.com"));
  const auto admitted = admit_and_send(line, budget, t0, 10);
  CHECK(keys(admitted) == std::vector<std::string>{"busy-1", "quiet"});
  REQUIRE(admitted.next);
  CHECK(*admitted.next == t0 + 168h);
  // At most `max` at once, the rest stays in line.
  line.wait(waiting("x", t0 + 5h, "x.com"));
  line.wait(waiting("y", t0 + 6h, "y.com"));
  CHECK(keys(admit_and_send(line, budget, t0, 1)) == std::vector<std::string>{"x"});
  CHECK(line.contains("y"));
  // A held entry is not asked again before its hold ends, unless the
  // limits change: a looser budget then lets it through at once.
  AccountBudget looser({{100, 3h}, {5, 168h}, {}, {}}, Duration{});
  CHECK(keys(admit_and_send(line, looser, t0, 1)) == std::vector<std::string>{"y"});
  CHECK(admit_and_send(line, looser, t0, 10).admitted.empty());  // busy-2 remembers its hold
  line.budget_loosened();
  CHECK(keys(admit_and_send(line, looser, t0, 10)) == std::vector<std::string>{"busy-2"});
  line.wait(waiting("z", t0 + 7h, "z.com"));
  CHECK(line.remove("z"));
  CHECK_FALSE(line.remove("z"));
}

TEST_CASE("renewals exempt from the account budget pass new orders that wait for it") {
  AccountBudget budget({{1, 3h}, {}, {}, {}});
  IssuanceQueue line;
  line.wait(waiting("new-1", t0 + 1h, "a.com"));
  line.wait(waiting("new-2", t0 + 2h, "a.com"));
  line.wait(waiting("renew", t0 + 20 * 24h, "a.com", true));
  line.wait(waiting("ari", t0 + 25 * 24h, "a.com", true, true));
  CHECK(keys(admit_and_send(line, budget, t0, 10)) ==
        std::vector<std::string>{"new-1", "renew", "ari"});
  // A renewal that arrives while the account waits goes at once.
  line.wait(waiting("renew-2", t0 + 30 * 24h, "b.com", true));
  CHECK(keys(admit_and_send(line, budget, t0 + 1min, 10)) == std::vector<std::string>{"renew-2"});
  CHECK(line.held_by(budget, t0 + 1min)[0] == 1);
}

TEST_CASE("a waiting issuance keeps its place, moving only to a sooner deadline") {
  AccountBudget budget({{1, 1h}, {}, {}, {}});
  IssuanceQueue line;
  line.wait(waiting("a", t0 + 2h, "a.com"));
  line.wait(waiting("b", t0 + 3h, "b.com"));
  line.wait(waiting("a", t0 + 9h, "a.com"));  // asked again later: keeps 2 h
  line.wait(waiting("b", t0 + 1h, "b.com"));  // due sooner now: moves ahead
  CHECK(keys(admit_and_send(line, budget, t0, 10)) == std::vector<std::string>{"b"});
  CHECK(keys(admit_and_send(line, budget, t0 + 1h, 10)) == std::vector<std::string>{"a"});
}

TEST_CASE("the projection tells, ahead, which deadlines the budget cannot meet") {
  AccountBudget budget({{1, 1h}, {}, {}, {}});
  IssuanceQueue line;
  for (int i = 0; i < 10; ++i)
    line.wait(waiting("c" + std::to_string(i), t0 + std::chrono::hours(5 + i / 2), "a.com"));
  line.wait(waiting("exempt", t0 + 1h, "a.com", false, true));
  const auto plan = line.project(budget, t0, 10min);
  REQUIRE(plan.size() == 11);
  CHECK(plan.front().key == "exempt");
  CHECK_FALSE(plan.front().misses);
  std::size_t missing = 0;
  for (const Projection& p : plan) {
    INFO(p.key);
    CHECK(p.start >= t0);
    missing += p.misses ? 1 : 0;
  }
  // One order an hour from t0: c0..c5 start at t0..t0+5h; c5's deadline is
  // 7 h; c6 (start 6 h, deadline 8 h) fits, as does c7; c8 starts at 8 h
  // with a 9 h deadline, c9 at 9 h: 9h10m is past 9 h.
  CHECK(missing == 1);
  CHECK(plan.back().key == "c9");
  CHECK(plan.back().misses);
  // A new certificate's deadline is a wish, not an expiry: it is never a miss.
  auto wish = waiting("new", t0 + 9h + 30min, "a.com");
  wish.expiry = false;
  line.wait(wish);
  const auto again = line.project(budget, t0, 10min);
  REQUIRE(again.back().key == "new");
  CHECK(again.back().start > again.back().deadline);
  CHECK_FALSE(again.back().misses);
  line.remove("new");
  // The projection spends a copy: the line and the budget are untouched.
  CHECK(line.size() == 11);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0) == 1u);
}

TEST_CASE("a turn holds its new-order token until its newOrder goes, or gives it back") {
  AccountBudget budget({{2, 2h}, {}, {}, {}});
  IssuanceQueue line;
  for (const char* key : {"a", "b", "c"})
    line.wait(waiting(key, t0 + 1h, "x.com"));
  const auto first = line.admit(budget, t0, 10);
  REQUIRE(first.admitted.size() == 2);
  CHECK(budget.reserved() == 2);
  // Nothing was sent yet: the bucket is full, but both tokens are held.
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0) == 2u);
  CHECK(line.admit(budget, t0 + 5h, 10).admitted.empty());
  // One goes 30 minutes later: counted then, as the CA counts it.
  budget.sent(first.admitted[0].shape, t0 + 30min);
  CHECK(budget.reserved() == 1);
  CHECK(budget.available(Limit::NewOrdersPerAccount, {}, t0 + 30min) == 1u);
  CHECK(line.admit(budget, t0 + 30min, 10).admitted.empty());
  // The other never goes (its issuance ended first): its token is free again.
  budget.release(first.admitted[1].shape);
  CHECK(budget.reserved() == 0);
  line.budget_loosened();
  CHECK(keys(line.admit(budget, t0 + 30min, 10)) == std::vector<std::string>{"c"});
  // A projection counts reserved turns as sent now.
  line.wait(waiting("d", t0 + 2h, "x.com"));
  const auto plan = line.project(budget, t0 + 30min, 1min);
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].start == t0 + 1h + 30min);
}
