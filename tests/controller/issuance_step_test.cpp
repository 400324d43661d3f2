// plan_issuance_step and cache_state: what a Certificate's reconcile does
// around the reconciler's decision, over every combination of the facts, and
// when the cache counts as caught up with certmill's own writes, on a clock
// that moves only when the test says.
#include "controller/issuance_step.hpp"

#include <catch2/catch.hpp>

#include "reactor/clock.hpp"

using namespace certmill;
using namespace certmill::controller;

namespace {

Decision decided(Action action, std::optional<api::ConditionStatus> issuing = std::nullopt) {
  Decision d;
  d.action = action;
  if (issuing) {
    api::Condition c;
    c.type = "Issuing";
    c.status = *issuing;
    d.status = StatusUpdate{};
    d.status->conditions.push_back(c);
  }
  return d;
}

}  // namespace

TEST_CASE("a request left unsigned is signed only when nothing else is to be done") {
  // Every combination of the five facts and four actions: exactly one of
  // them signs (a request not approved, with certmill's approver off, waits).
  int signing = 0;
  for (Action action : {Action::None, Action::Issue, Action::StoreIssued, Action::RepairSecret}) {
    for (int bits = 0; bits < 32; ++bits) {
      const IssuanceFacts facts{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                                (bits & 16) != 0};
      const bool signs = plan_issuance_step(decided(action), facts).sign_left_unsigned;
      const bool expected = action == Action::None && facts.issuing && facts.next_pending &&
                            facts.signs_in_process && !facts.ordering_next && facts.may_sign;
      CHECK(signs == expected);
      signing += signs ? 1 : 0;
    }
  }
  CHECK(signing == 1);
}

TEST_CASE("an ACME order in flight is not signed a second time") {
  const IssuanceFacts ordering{true, true, true, true, true};
  CHECK_FALSE(plan_issuance_step(decided(Action::None), ordering).sign_left_unsigned);
  const IssuanceFacts idle{true, true, true, false, true};
  CHECK(plan_issuance_step(decided(Action::None), idle).sign_left_unsigned);
}

TEST_CASE("the issuance slot goes on when the Certificate stops issuing or stores its Secret") {
  const IssuanceFacts issuing{true, false, true, false, true};
  const IssuanceFacts idle{false, false, true, false, true};
  // Issuing goes on: the slot is kept.
  CHECK_FALSE(plan_issuance_step(decided(Action::None), issuing).end_issuance);
  CHECK_FALSE(plan_issuance_step(decided(Action::Issue), idle).end_issuance);
  CHECK_FALSE(
      plan_issuance_step(decided(Action::Issue, api::ConditionStatus::True), idle).end_issuance);
  // Stored, failed (Issuing=False written), or never issuing: the slot goes.
  CHECK(plan_issuance_step(decided(Action::StoreIssued), issuing).end_issuance);
  CHECK(
      plan_issuance_step(decided(Action::None, api::ConditionStatus::False), issuing).end_issuance);
  CHECK(plan_issuance_step(decided(Action::None), idle).end_issuance);
  CHECK(plan_issuance_step(decided(Action::RepairSecret), idle).end_issuance);
}

TEST_CASE("old requests are pruned only when no issuance is under way") {
  const IssuanceFacts issuing{true, false, true, false, true};
  const IssuanceFacts idle{false, false, true, false, true};
  CHECK(plan_issuance_step(decided(Action::None), idle).prune_requests);
  CHECK(plan_issuance_step(decided(Action::StoreIssued), idle).prune_requests);
  CHECK_FALSE(plan_issuance_step(decided(Action::Issue), idle).prune_requests);
  CHECK_FALSE(plan_issuance_step(decided(Action::None), issuing).prune_requests);
  CHECK_FALSE(plan_issuance_step(decided(Action::StoreIssued), issuing).prune_requests);
}

TEST_CASE("the cache is caught up once it shows every write, and given up on at the deadline") {
  reactor::FakeClock clock{reactor::TimePoint{} + std::chrono::hours(24 * 365 * 56)};
  const Time start = std::chrono::floor<std::chrono::seconds>(clock.now());
  const Time deadline = start + std::chrono::seconds(60);
  const WrittenVersions written{"10", "20", "30"};
  auto at = [&] { return std::chrono::floor<std::chrono::seconds>(clock.now()); };

  // Nothing of it yet.
  CachedVersions cached{"9", std::nullopt, std::nullopt};
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::Behind);
  // The Certificate and the Secret, not the request: still behind.
  cached = {"10", "20", "29"};
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::Behind);
  // A later version than the write counts (others wrote since).
  cached = {"11", "25", "30"};
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::CaughtUp);

  // Without the request, on the clock: behind until the deadline, then given
  // up on.
  cached = {"10", "20", std::nullopt};
  clock.advance(std::chrono::seconds(59));
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::Behind);
  clock.advance(std::chrono::seconds(1));
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::GaveUp);
  // Caught up wins over the deadline.
  cached = {"10", "20", "30"};
  CHECK(cache_state(written, cached, deadline, at()) == CacheState::CaughtUp);
}

TEST_CASE("writes not made are not waited for") {
  const Time now{};
  const WrittenVersions status_only{"10", "", ""};
  CHECK(cache_state(status_only, {"10", std::nullopt, std::nullopt}, now, now) ==
        CacheState::CaughtUp);
  CHECK(cache_state(status_only, {"9", std::nullopt, std::nullopt}, now + std::chrono::seconds(1),
                    now) == CacheState::Behind);
}

TEST_CASE("the writes a decision costs: status, request or Secret, Events, a late signature") {
  CHECK(planned_writes({}, {}) == 0);
  Decision issue;
  issue.action = Action::Issue;
  issue.status = StatusUpdate{};
  issue.events = {{"Normal", "Issuing", "Issuing certificate as Secret does not exist"}};
  CHECK(planned_writes(issue, {}) == 3);
  Decision status_only;
  status_only.status = StatusUpdate{};
  CHECK(planned_writes(status_only, {}) == 1);
  CHECK(planned_writes({}, {.sign_left_unsigned = true}) == 1);
  Decision store;
  store.action = Action::StoreIssued;
  store.status = StatusUpdate{};
  store.events = {{"Normal", "Issuing", "The certificate has been successfully issued"}};
  CHECK(planned_writes(store, {.end_issuance = true, .prune_requests = true}) == 3);
}
