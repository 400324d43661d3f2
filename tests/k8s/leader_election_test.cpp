// The leader-election decision, case by case.
#include "k8s/leader_election.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::k8s;
using namespace std::chrono_literals;

namespace {
api::Lease held_by(std::string holder, std::optional<int32_t> seconds = 60) {
  api::Lease lease;
  lease.spec.holder_identity = std::move(holder);
  lease.spec.lease_duration_seconds = seconds;
  return lease;
}
}  // namespace

TEST_CASE("the lease decision follows client-go's rules") {
  struct Row {
    std::optional<api::Lease> lease;
    Duration unchanged_for;
    LeaseAction expected;
    const char* why;
  };
  const Row rows[] = {
      {std::nullopt, 0s, LeaseAction::Create, "no Lease: create it"},
      {held_by("me"), 0s, LeaseAction::Renew, "ours: renew"},
      {held_by("me"), 10min, LeaseAction::Renew, "ours, even if stale: renew"},
      {held_by(""), 0s, LeaseAction::Acquire, "released: take it at once"},
      {held_by("other"), 59s, LeaseAction::Wait, "held and renewed within the lease: wait"},
      {held_by("other"), 60s, LeaseAction::Acquire, "unchanged for the whole lease: take over"},
      {held_by("other", 15), 16s, LeaseAction::Acquire, "the Lease's own duration counts"},
      {held_by("other", std::nullopt), 59s, LeaseAction::Wait, "no duration: ours (60 s)"},
      {held_by("other", std::nullopt), 61s, LeaseAction::Acquire, "no duration, expired"},
  };
  for (const auto& row : rows) {
    INFO(row.why);
    CHECK(decide_lease(row.lease, "me", row.unchanged_for, 60s) == row.expected);
  }
}

TEST_CASE("the defaults are cert-manager's and never allow two leaders") {
  const LeaderElectionConfig config;
  CHECK(config.namespace_ == "kube-system");
  CHECK(config.lease_duration == 60s);
  CHECK(config.renew_deadline == 40s);
  CHECK(config.retry_period == 15s);
  // A leader gives up after renew_deadline without a renewal; a candidate
  // needs lease_duration of silence: the gap keeps them from overlapping.
  CHECK(config.renew_deadline < config.lease_duration);
}
