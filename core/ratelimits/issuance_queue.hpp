// The issuances of one ACME account that wait for budget (new, renewal,
// retry), in one line ordered by deadline: a renewal's deadline is its
// certificate's expiry, a new certificate's the time it was asked for plus a
// grace. admit() lets through, earliest deadline first, every one whose
// budgets allow it now, skipping (not blocking on) those held by a budget of
// their own (a registered domain, a set of names); renewals exempt from the
// account's new-order budget go through while new orders wait for it. A
// deadline never changes while an issuance waits, so none is starved: every
// one that arrives later ranks behind it unless its own deadline is sooner.
//
// project() plays the line forward on a copy of the budget and tells which
// issuances would start too late for their deadline, days ahead.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ratelimits/budget.hpp"

namespace certmill::ratelimits {

struct Waiting {
  std::string key;  // the Certificate, namespace/name
  Instant deadline;
  OrderShape shape;
  // The deadline is when a certificate in use expires (a renewal), not the
  // time a new one is wanted by: only such a deadline can be missed.
  bool expiry = true;
};

struct Admission {
  std::vector<Waiting> admitted;
  // When the next one held back may go; unset when none is held.
  std::optional<Instant> next;
};

struct Projection {
  std::string key;
  Instant start;        // when its order would be placed
  Instant deadline;     // as it waits
  bool misses = false;  // an expiry it would not be renewed before
};

class IssuanceQueue {
 public:
  // Adds `waiting`, or updates its shape; its place (deadline) is kept when
  // it waits already, unless the new deadline is sooner.
  void wait(Waiting waiting);
  bool remove(const std::string& key);
  // The budget loosened other than by time (its limits changed, a reserved
  // turn was released): ask every entry again.
  void budget_loosened();
  bool contains(const std::string& key) const { return entries_.contains(key); }
  std::size_t size() const { return entries_.size(); }

  // At most `max` that may place their order at `now`, earliest deadline
  // first, each reserved in `budget` (AccountBudget::reserve: sent() or
  // release() must follow) and removed from the line.
  Admission admit(AccountBudget& budget, Instant now, std::size_t max);
  // Every waiting issuance's start if the line were played out from `now`
  // with `budget`'s refills and nothing else arrived; `lead` is how long an
  // issuance takes from its order to a stored certificate.
  std::vector<Projection> project(AccountBudget budget, Instant now, Duration lead) const;
  // How many wait held back by each limit at `now` (the limit that holds
  // each the longest), for the metrics.
  std::array<std::size_t, kLimits.size()> held_by(const AccountBudget& budget, Instant now) const;

 private:
  using Order = std::pair<Instant, std::string>;
  struct Entry {
    Instant deadline;
    OrderShape shape;
    bool expiry;
    // A hold found earlier ends then: budgets only tighten until time
    // refills them (or budget_loosened() says otherwise), so the entry is
    // not asked about again before it.
    Instant not_before{};
  };
  bool account_exempt(const OrderShape& shape) const {
    return !subject_to(shape, Limit::NewOrdersPerAccount);
  }

  std::unordered_map<std::string, Entry> entries_;
  // Two lines in deadline order: orders the account's new-order budget
  // counts, and the exempt ones, so a closed account budget stops the scan of
  // the first line at once and never holds back the second.
  std::set<Order> counted_;
  std::set<Order> exempt_;
};

}  // namespace certmill::ratelimits
