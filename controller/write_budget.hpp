// Each Certificate's share of the process's API write budget. The client-side
// QPS limit is shared by the whole fleet, so one Certificate that writes in a
// loop (whatever the cause: a bug, an issuer that answers oddly, two
// controllers fighting over an object) would starve every other. Each
// Certificate gets a bucket of `burst` writes, refilled one per `refill`: an
// issuance costs about seven, so normal work never waits, and a loop is held
// to the refill rate. Pure data, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "controller/hashed_key.hpp"
#include "core/duration.hpp"
#include "core/time.hpp"

namespace certmill::controller {

struct WriteBudgetPolicy {
  int burst = 24;
  Duration refill = std::chrono::seconds(5);
};

class WriteBudgets {
 public:
  explicit WriteBudgets(WriteBudgetPolicy policy = {}) : policy_(policy) {}

  // Takes `writes` from `key`'s bucket at `now` and returns nullopt, or, when
  // the bucket does not hold them, takes nothing and returns when it will.
  // More than `burst` writes at once wait for a full bucket and take it all.
  std::optional<Time> charge(std::string_view key, int writes, Time now);
  void forget(std::string_view key) { buckets_.erase(HashedKey::of(key)); }
  // Buckets kept: only those not full (a full one is the same as none).
  std::size_t size() const { return buckets_.size(); }

 private:
  using Instant = std::chrono::sys_time<Duration>;
  struct Bucket {
    Instant full_at;  // when it holds `burst` again; the fill level follows
  };
  void prune(Time now);

  WriteBudgetPolicy policy_;
  std::unordered_map<HashedKey, Bucket, HashedKeyHash> buckets_;
  // Full buckets are dropped when the map doubles, and at least once per
  // bucket's refill time.
  std::size_t prune_at_ = 1024;
  std::optional<Instant> next_prune_;
};

}  // namespace certmill::controller
