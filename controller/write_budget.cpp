// A bucket is one time point: when it is full again. Its level at `now` is
// burst minus the refills still owed, so a charge moves that point later by
// writes × refill, and nothing needs updating while no one writes.
#include "controller/write_budget.hpp"

#include <algorithm>

namespace certmill::controller {

std::optional<Time> WriteBudgets::charge(std::string_view key, int writes, Time now) {
  if (writes <= 0)
    return std::nullopt;
  const Duration capacity = policy_.burst * policy_.refill;
  if (buckets_.size() >= prune_at_ || (next_prune_ && now >= *next_prune_))
    prune(now);
  if (!next_prune_)
    next_prune_ = Instant(now) + capacity;
  const Duration cost = std::min(writes, policy_.burst) * policy_.refill;
  const Instant at = now;
  auto [it, inserted] = buckets_.try_emplace(HashedKey::of(key), Bucket{at});
  Instant& full_at = it->second.full_at;
  full_at = std::max(full_at, at);
  // The bucket holds capacity - (full_at - now); the writes need `cost` of it.
  const Instant fits_at = full_at + cost - capacity;
  if (fits_at > at)
    return std::chrono::ceil<std::chrono::seconds>(fits_at);
  full_at += cost;
  return std::nullopt;
}

void WriteBudgets::prune(Time now) {
  const Instant at = now;
  std::erase_if(buckets_, [&](const auto& entry) { return entry.second.full_at <= at; });
  prune_at_ = std::max<std::size_t>(1024, 2 * buckets_.size());
  next_prune_.reset();
}

}  // namespace certmill::controller
